package dev.mortgagelake.local.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP forwarder between the services and a server (the embedded S3 or SQS server) that can cut the
 * line: {@link #cut()} closes every open connection and stops listening, so clients get "connection
 * refused" as from a server that is down; {@link #restore()} listens again on the same port. The
 * server behind it keeps its state, which is what an outage of S3 or SQS looks like to a service.
 */
public final class TcpFaultProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong connections = new AtomicLong();
    private volatile ServerSocket listener;
    private volatile boolean closed;

    private TcpFaultProxy(URI target, int port) {
        this.targetHost = target.getHost();
        this.targetPort = target.getPort();
        this.port = port;
    }

    /** Starts forwarding from a free local port to {@code target} (an {@code http://host:port} endpoint). */
    public static TcpFaultProxy start(URI target) {
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            TcpFaultProxy proxy = new TcpFaultProxy(target, probe.getLocalPort());
            probe.close();
            proxy.restore();
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start a proxy to " + target, e);
        }
    }

    /** The proxy's endpoint: {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Connections accepted so far. */
    public long connections() {
        return connections.get();
    }

    /** Whether the line is cut. */
    public boolean isCut() {
        return listener == null;
    }

    /** Stops listening and closes every open connection: the server is unreachable until {@link #restore()}. */
    public synchronized void cut() {
        ServerSocket current = listener;
        listener = null;
        closeQuietly(current);
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    /** Listens again on the same port. */
    public synchronized void restore() {
        if (listener != null || closed) {
            return;
        }
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            listener = server;
            Thread acceptor = new Thread(() -> accept(server), "fault-proxy-accept-" + port);
            acceptor.setDaemon(true);
            acceptor.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot listen on port " + port + " again", e);
        }
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            connections.incrementAndGet();
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            open.add(client);
            open.add(upstream);
            if (listener != server) {
                // cut while connecting
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            pump(client, upstream, "up");
            pump(upstream, client, "down");
        }
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (SocketException ignored) {
                // closed by cut() or by the other side
            } catch (IOException ignored) {
                // the connection broke: the client sees a reset, as from a failing server
            } finally {
                open.remove(from);
                open.remove(to);
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "fault-proxy-" + direction + "-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void close() {
        closed = true;
        cut();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
