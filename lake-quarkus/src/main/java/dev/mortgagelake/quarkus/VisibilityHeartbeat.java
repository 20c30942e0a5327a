package dev.mortgagelake.quarkus;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.aws.sqs.SqsIncomingMetadata;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a received SQS message invisible while its work runs, so that no second consumer (another
 * replica, or this one after the timeout) starts the same work: every third of the channel's
 * {@code visibility-timeout} it calls ChangeMessageVisibility on the message's receipt handle (the
 * connector's {@link SqsIncomingMetadata}) to push the timeout a whole {@code visibility-timeout}
 * further. {@link Lease#close()} stops the extensions; {@link Lease#release()} makes the message
 * visible at once (a poison message then reaches its dead-letter queue after {@code maxReceiveCount}
 * receives instead of waiting a visibility timeout between each).
 *
 * <p>A process that dies stops extending: its message becomes visible again at most one
 * visibility timeout later and another consumer redoes the (idempotent) work.
 */
@ApplicationScoped
public class VisibilityHeartbeat {

    private static final Logger LOG = Logger.getLogger(VisibilityHeartbeat.class);
    private static final String INCOMING = "mp.messaging.incoming.";
    /** SQS's default visibility timeout, used when a channel does not set one (the queue's own then applies). */
    static final int DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;

    @Inject
    SqsAsyncClient sqs;

    @Inject
    Config config;

    @Inject
    MeterRegistry metrics;

    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;

    @PostConstruct
    void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "lake-visibility-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }

    /** The channel's visibility timeout in seconds ({@code mp.messaging.incoming.<channel>.visibility-timeout}). */
    public int visibilityTimeoutSeconds(String channel) {
        return config.getOptionalValue(INCOMING + channel + ".visibility-timeout", Integer.class).orElse(DEFAULT_VISIBILITY_TIMEOUT_SECONDS);
    }

    /**
     * Starts extending {@code message}'s visibility until the lease is closed. A message that did not
     * come from SQS (no {@link SqsIncomingMetadata}) gets a lease that does nothing.
     */
    public Lease hold(String channel, Message<?> message) {
        Optional<software.amazon.awssdk.services.sqs.model.Message> sqsMessage =
                message.getMetadata(SqsIncomingMetadata.class).map(SqsIncomingMetadata::getMessage);
        if (sqsMessage.isEmpty()) {
            return new Lease(channel, null, null);
        }
        String queueUrl;
        try {
            queueUrl = queueUrl(channel);
        } catch (RuntimeException e) {
            LOG.warnf("Not extending the visibility of message %s on %s: %s", sqsMessage.get().messageId(), channel, e.getMessage());
            return new Lease(channel, null, null);
        }
        Lease lease = new Lease(channel, queueUrl, sqsMessage.get());
        int timeout = visibilityTimeoutSeconds(channel);
        long periodMillis = Math.max(200, timeout * 1000L / 3);
        lease.schedule(scheduler.scheduleAtFixedRate(() -> lease.extend(timeout), periodMillis, periodMillis, TimeUnit.MILLISECONDS));
        return lease;
    }

    private String queueUrl(String channel) {
        String queue = config.getOptionalValue(INCOMING + channel + ".queue", String.class).orElse(channel);
        return queueUrls.computeIfAbsent(queue, q -> {
            try {
                return sqs.getQueueUrl(r -> r.queueName(q)).get(30, TimeUnit.SECONDS).queueUrl();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("No URL for queue " + q + " of channel " + channel + ": " + e.getMessage(), e);
            }
        });
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The extensions of one received message; close it when the work is done (acknowledged or not). */
    public final class Lease implements AutoCloseable {

        private final String channel;
        private final String queueUrl;
        private final software.amazon.awssdk.services.sqs.model.Message message;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicLong extensions = new AtomicLong();
        private volatile ScheduledFuture<?> task;

        private Lease(String channel, String queueUrl, software.amazon.awssdk.services.sqs.model.Message message) {
            this.channel = channel;
            this.queueUrl = queueUrl;
            this.message = message;
        }

        private void schedule(ScheduledFuture<?> task) {
            this.task = task;
            if (closed.get()) {
                task.cancel(false);
            }
        }

        /** The SQS message id, or {@code null} for a message that did not come from SQS. */
        public String messageId() {
            return message == null ? null : message.messageId();
        }

        /** How many extensions were sent so far. */
        public long extensions() {
            return extensions.get();
        }

        private void extend(int timeoutSeconds) {
            if (closed.get()) {
                return;
            }
            extensions.incrementAndGet();
            sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()).visibilityTimeout(timeoutSeconds))
                    .whenComplete((ok, failure) -> {
                        if (failure == null) {
                            metrics.counter(LakeMetrics.VISIBILITY_EXTENSIONS, LakeMetrics.TAG_CHANNEL, channel).increment();
                        } else {
                            metrics.counter(LakeMetrics.VISIBILITY_EXTENSION_FAILURES, LakeMetrics.TAG_CHANNEL, channel).increment();
                            boolean lost = causedBy(failure, ReceiptHandleIsInvalidException.class);
                            LOG.warnf("Could not extend the visibility of message %s on %s (%s): %s", message.messageId(), channel,
                                    lost ? "it became visible and was received again; no further extension" : "it may be redelivered while its work runs",
                                    failure.getMessage());
                            if (lost) {
                                close();
                            }
                        }
                    });
        }

        /** Stops extending and makes the message visible again at once (best effort). */
        public void release() {
            close();
            if (message == null) {
                return;
            }
            sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()).visibilityTimeout(0))
                    .whenComplete((ok, failure) -> {
                        if (failure != null) {
                            LOG.debugf("Could not release message %s on %s: %s", message.messageId(), channel, failure.getMessage());
                        }
                    });
        }

        /** Stops extending; the message keeps its current visibility (until acknowledged, or until it expires). */
        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                ScheduledFuture<?> scheduled = task;
                if (scheduled != null) {
                    scheduled.cancel(false);
                }
            }
        }
    }
}
