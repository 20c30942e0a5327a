package dev.mortgagelake.embedded;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

import java.net.InetSocketAddress;
import java.net.URI;

/**
 * An SQS-compatible server (ElasticMQ) running inside this JVM, bound to {@code 127.0.0.1} on a
 * free ephemeral port.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>{@link #start()} returns only once the server accepts connections; {@link #endpoint()} is
 *       then the URI to give an SDK client as endpoint override. Queue URLs it hands out point at
 *       the same host and port.</li>
 *   <li>Queues live in memory and use strict SQS limits; ARNs are
 *       {@code arn:aws:sqs:}{@value LocalAwsCredentials#REGION}{@code :}{@value LocalAwsCredentials#ACCOUNT_ID}{@code :<name>}.
 *       Any credentials are accepted.</li>
 *   <li>{@link #stop()} (or {@link #close()}) unbinds the port and terminates the server's actor
 *       system; it is idempotent and safe to call from several threads. A stopped server cannot be
 *       started again. A server that is never stopped needs no shutdown hook: it runs on this
 *       JVM's threads and its port closes when the JVM exits.</li>
 * </ul>
 */
public final class EmbeddedSqsServer implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";

    private enum State { NEW, RUNNING, STOPPED }

    private State state = State.NEW;
    private SQSRestServer server;
    private URI endpoint;

    /**
     * Starts the server; a no-op if it is already running.
     *
     * @return this server, running
     * @throws IllegalStateException if the server was stopped, or could not bind
     */
    public synchronized EmbeddedSqsServer start() {
        if (state == State.RUNNING) {
            return this;
        }
        if (state == State.STOPPED) {
            throw new IllegalStateException("An embedded SQS server cannot be restarted once stopped");
        }
        // Pekko resolves its configured classes (loggers, filters) through the context class loader;
        // under a foreign one (a Quarkus application's) it would mix two copies of its own classes.
        Thread thread = Thread.currentThread();
        ClassLoader callersLoader = thread.getContextClassLoader();
        thread.setContextClassLoader(EmbeddedSqsServer.class.getClassLoader());
        SQSRestServer started;
        try {
            started = SQSRestServerBuilder
                    .withInterface(LOOPBACK)
                    .withDynamicPort()
                    .withAWSRegion(LocalAwsCredentials.REGION)
                    .withAWSAccountId(LocalAwsCredentials.ACCOUNT_ID)
                    .start();
        } finally {
            thread.setContextClassLoader(callersLoader);
        }
        InetSocketAddress address;
        try {
            address = started.waitUntilStarted().localAddress();
        } catch (RuntimeException e) {
            IllegalStateException failure = new IllegalStateException("The embedded SQS server did not start", e);
            try {
                started.stopAndWait();
            } catch (RuntimeException stopFailure) {
                failure.addSuppressed(stopFailure);
            }
            throw failure;
        }
        server = started;
        endpoint = URI.create("http://" + LOOPBACK + ":" + address.getPort());
        state = State.RUNNING;
        return this;
    }

    /**
     * The base URI of the running server, e.g. {@code http://127.0.0.1:41235}.
     *
     * @throws IllegalStateException if the server is not running
     */
    public synchronized URI endpoint() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("The embedded SQS server is not running (state " + state + ")");
        }
        return endpoint;
    }

    /** Whether the server has been started and not yet stopped. */
    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /** Stops the server and waits until its port is released; does nothing if it is not running. */
    public synchronized void stop() {
        if (state == State.RUNNING) {
            try {
                server.stopAndWait();
            } finally {
                server = null;
                state = State.STOPPED;
            }
        } else {
            state = State.STOPPED;
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public synchronized String toString() {
        return "EmbeddedSqsServer[" + (state == State.RUNNING ? endpoint : state) + "]";
    }
}
