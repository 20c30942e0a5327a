package dev.mortgagelake.service.retry;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.LakeEvents;
import dev.mortgagelake.event.RetryDue;
import dev.mortgagelake.retry.LedgerBatch;
import dev.mortgagelake.retry.RetryLifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.aws.sqs.SqsOutboundMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Sends {@code retry-due} for the ledger's outstanding attempts. The schedule itself is durable (in
 * the ledger); the messages are only its delivery:
 * <ul>
 *   <li>an attempt due within SQS's delay limit (15 minutes) is sent at once with that delay;</li>
 *   <li>the sweep ({@code lake.retry.sweep.every}) sends every attempt that is due (or comes due within
 *       the delay limit) and was not sent by this process, or was sent and has been visible for
 *       {@code lake.retry.sweep.redispatch-after} without its attempt being made (the message was
 *       lost or its consumer died).</li>
 * </ul>
 * A restarted service remembers nothing of what it sent and sends again: every emission of one
 * attempt names the same retry run, which validation-service validates once.
 */
@ApplicationScoped
public class RetryDispatcher {

    private static final Logger LOG = Logger.getLogger(RetryDispatcher.class);

    /** The longest delay SQS accepts on a message. */
    static final Duration MAX_SQS_DELAY = Duration.ofMinutes(15);

    @Inject
    @Channel(RetryChannels.RETRY_DUE)
    MutinyEmitter<String> retryDue;

    @Inject
    RetryLifecycle lifecycle;

    @Inject
    RetryConfig config;

    @Inject
    MeterRegistry metrics;

    @Inject
    Clock clock;

    /** When each attempt (by retry run id) sent by this process becomes visible on the queue. */
    private final Map<String, Instant> visibleAt = new ConcurrentHashMap<>();

    /**
     * Sends the {@code retry-due} of {@code batch}'s outstanding attempt, delayed until it is due.
     *
     * @return false when it is due beyond SQS's delay limit (the sweep sends it later)
     */
    public boolean dispatch(LedgerBatch batch, String trigger) {
        RetryDue due = lifecycle.retryDue(batch);
        Instant now = clock.instant();
        Duration wait = due.dueAt() == null || due.dueAt().isBefore(now) ? Duration.ZERO : Duration.between(now, due.dueAt());
        if (wait.compareTo(MAX_SQS_DELAY) > 0) {
            return false;
        }
        int delaySeconds = (int) Math.min(MAX_SQS_DELAY.toSeconds(), (wait.toMillis() + 999) / 1000);
        Message<String> message = Message.of(EventCodec.encode(LakeEvents.retryDue(due)))
                .addMetadata(SqsOutboundMetadata.builder().delaySeconds(delaySeconds).build());
        retryDue.sendMessageAndAwait(message);
        visibleAt.put(due.retryRunId(), now.plusSeconds(delaySeconds));
        metrics.counter(RetryMetrics.RETRIES_DISPATCHED, RetryMetrics.TAG_TRIGGER, trigger).increment();
        LOG.infof("retry-due sent for batch %s (%s): attempt %d as run %s, %s, in %ds (%s)", due.batchRunId(), due.batchKind(),
                due.attempt(), due.retryRunId(), due.reason(), delaySeconds, trigger);
        return true;
    }

    /** Sends what is due and was not sent, or was sent too long ago without effect. */
    @Scheduled(every = "${lake.retry.sweep.every:60s}", delayed = "${lake.retry.sweep.every:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        Instant now = clock.instant();
        try {
            List<LedgerBatch> outstanding = lifecycle.outstanding(now.plus(MAX_SQS_DELAY));
            for (LedgerBatch batch : outstanding) {
                Instant sent = visibleAt.get(batch.nextRunId());
                if (sent == null || !now.isBefore(sent.plus(config.sweep().redispatchAfter()))) {
                    dispatch(batch, sent == null ? "sweep" : "sweep_redispatch");
                }
            }
            // Attempts that were made (or are no longer outstanding) need no memory of their sending.
            visibleAt.keySet().retainAll(outstanding.stream().map(LedgerBatch::nextRunId).collect(Collectors.toSet()));
        } catch (RuntimeException e) {
            LOG.warnf(e, "The retry sweep failed; it runs again in %s", config.sweep().every());
        }
    }
}
