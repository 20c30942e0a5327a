package dev.mortgagelake.quarkus;

import dev.mortgagelake.event.InvalidEventException;
import dev.mortgagelake.storage.ObjectNotFoundException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * How every lake service consumes one SQS message: the work runs under a {@link VisibilityHeartbeat}
 * lease; success acknowledges (deletes) the message; a failure never acknowledges it:
 * <ul>
 *   <li>a <b>poison message</b> (retrying cannot help: {@link InvalidEventException}, or a well-formed
 *       event naming an object that does not exist) is logged at ERROR with its reason, counted in
 *       {@code lake_poison_messages_total{service,channel,reason}}, and made visible again at once, so
 *       that after the queue's {@code maxReceiveCount} receives SQS moves it to the dead-letter queue
 *       within seconds and the messages behind it keep flowing;</li>
 *   <li>a failure to reach S3 or SQS (connection refused or reset, timeout, 5xx, throttling) while they
 *       do not answer the readiness checks holds the message: its visibility keeps being extended while the service waits for both to answer again
 *       (its readiness checks), then the work is redone in the same delivery (every stage is
 *       idempotent). An outage thus costs no receive, loses nothing and resumes by itself as soon as
 *       S3 and SQS are back; counted in {@code lake_message_outage_holds_total{service,channel}}. After
 *       {@code lake.messaging.outage-hold} (15 minutes) the message is given back to SQS like any
 *       other failure;</li>
 *   <li>any other failure (a bug, a hold that lasted too long) is logged with its stack trace, counted in
 *       {@code lake_message_failures_total{service,channel}}, and redelivered by SQS after the visibility
 *       timeout.</li>
 * </ul>
 * The channels keep {@code failure-strategy=ignore}: the connector does nothing on a nack, SQS does.
 */
@ApplicationScoped
public class MessageConsumption {

    private static final Logger LOG = Logger.getLogger(MessageConsumption.class);

    @Inject
    VisibilityHeartbeat heartbeat;

    @Inject
    MeterRegistry metrics;

    @Inject
    LakeConfig config;

    @Inject
    @Readiness
    ObjectStoreReadiness s3Readiness;

    @Inject
    @Readiness
    QueueReadiness queueReadiness;

    @ConfigProperty(name = "quarkus.application.name", defaultValue = "lake")
    String service;

    /**
     * Runs {@code work} on {@code message}'s body and acknowledges or fails the message as described above.
     * The returned stage never fails: a failed acknowledgement (the message was received again meanwhile,
     * so its receipt handle is no longer valid; or SQS is unreachable) is logged, and SQS redelivers the
     * message (the work is idempotent). A failed stage would end the channel's stream.
     */
    public CompletionStage<Void> consume(String channel, Message<String> message, Consumer<String> work) {
        try {
            return settled(channel, message, handle(channel, message, work));
        } catch (RuntimeException unexpected) {
            LOG.errorf(unexpected, "Message on channel %s could not be handled; SQS redelivers it", channel);
            return CompletableFuture.completedFuture(null);
        }
    }

    private CompletionStage<Void> settled(String channel, Message<String> message, CompletionStage<Void> settlement) {
        return settlement.handle((ok, failure) -> {
            if (failure != null) {
                LOG.warnf("Could not settle message %s on channel %s (SQS redelivers it; the work is idempotent): %s",
                        messageId(message), channel, failure.getMessage());
            }
            return null;
        });
    }

    private static String messageId(Message<String> message) {
        return message.getMetadata(io.smallrye.reactive.messaging.aws.sqs.SqsIncomingMetadata.class)
                .map(m -> m.getMessage().messageId()).orElse(null);
    }

    private CompletionStage<Void> handle(String channel, Message<String> message, Consumer<String> work) {
        VisibilityHeartbeat.Lease lease = heartbeat.hold(channel, message);
        try {
            Instant holdUntil = Instant.now().plus(config.messaging().outageHold());
            while (true) {
                try {
                    work.accept(message.getPayload());
                    break;
                } catch (RuntimeException e) {
                    if (poisonReason(e).isPresent() || !isOutage(e) || !Instant.now().isBefore(holdUntil) || dependenciesUp()) {
                        return fail(channel, message, lease, e);
                    }
                    metrics.counter(LakeMetrics.OUTAGE_HOLDS, LakeMetrics.TAG_SERVICE, service, LakeMetrics.TAG_CHANNEL, channel).increment();
                    LOG.warnf("Message %s on channel %s: S3 or SQS unreachable (%s); holding it (visibility extended) until they "
                            + "answer again, at most until %s, then redoing its work", lease.messageId(), channel, e.getMessage(), holdUntil);
                    awaitDependencies(holdUntil);
                }
            }
        } finally {
            lease.close();
        }
        return message.ack();
    }

    /** Waits until S3 and SQS both answer (the readiness checks are up) or {@code until} passes. */
    private void awaitDependencies(Instant until) {
        long pauseMillis = 250;
        while (Instant.now().isBefore(until)) {
            if (dependenciesUp()) {
                return;
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
            pauseMillis = Math.min(pauseMillis * 2, 5_000);
        }
    }

    /** Whether S3 and SQS both answer now (the service's readiness checks). */
    private boolean dependenciesUp() {
        return s3Readiness.call().getStatus() == HealthCheckResponse.Status.UP
                && queueReadiness.call().getStatus() == HealthCheckResponse.Status.UP;
    }

    /** A failure to reach S3 or SQS (connection refused or reset, timeout, 5xx, throttling), anywhere in the causes. */
    static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SdkClientException
                    || t instanceof SdkServiceException service && (service.statusCode() >= 500 || service.isThrottlingException())) {
                return true;
            }
        }
        return false;
    }

    private CompletionStage<Void> fail(String channel, Message<String> message, VisibilityHeartbeat.Lease lease, RuntimeException failure) {
        Optional<InvalidEventException.Reason> poison = poisonReason(failure);
        if (poison.isPresent()) {
            String reason = poison.get().label();
            metrics.counter(LakeMetrics.POISON_MESSAGES, LakeMetrics.TAG_SERVICE, service, LakeMetrics.TAG_CHANNEL, channel,
                    LakeMetrics.TAG_REASON, reason).increment();
            LOG.errorf("Poison message %s on channel %s (reason %s): %s. Not retried with a delay: it goes to the dead-letter queue "
                            + "after the queue's maxReceiveCount receives; the messages behind it go on.",
                    lease.messageId(), channel, reason, failure.getMessage());
            lease.release();
        } else {
            metrics.counter(LakeMetrics.MESSAGE_FAILURES, LakeMetrics.TAG_SERVICE, service, LakeMetrics.TAG_CHANNEL, channel).increment();
            LOG.errorf(failure, "Message %s on channel %s failed; SQS redelivers it after the visibility timeout (%d s)",
                    lease.messageId(), channel, heartbeat.visibilityTimeoutSeconds(channel));
        }
        return message.nack(failure);
    }

    /** The poison reason of a failure, if retrying the message can never help. */
    static Optional<InvalidEventException.Reason> poisonReason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidEventException invalid) {
                if (invalid.reason() != InvalidEventException.Reason.INVALID_EVENT) {
                    return Optional.of(invalid.reason());
                }
                return Optional.of(hasMissingObject(invalid) ? InvalidEventException.Reason.MISSING_OBJECT : invalid.reason());
            }
            if (t instanceof ObjectNotFoundException) {
                return Optional.of(InvalidEventException.Reason.MISSING_OBJECT);
            }
        }
        return Optional.empty();
    }

    private static boolean hasMissingObject(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ObjectNotFoundException) {
                return true;
            }
        }
        return false;
    }
}
