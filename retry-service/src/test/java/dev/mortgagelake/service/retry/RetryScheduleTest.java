package dev.mortgagelake.service.retry;

import dev.mortgagelake.retry.LedgerState;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventFixtures;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.LakeEvents;
import dev.mortgagelake.event.RetryDue;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.retry.LedgerBatch;
import dev.mortgagelake.retry.LedgerEntry;
import dev.mortgagelake.retry.QuarantineLedger;
import dev.mortgagelake.testing.EmbeddedS3Resource;
import dev.mortgagelake.testing.EmbeddedSqsResource;
import dev.mortgagelake.testing.QueueProbe;
import dev.mortgagelake.testing.TestLake;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * retry-service against the embedded SQS and S3 servers: the retry-due of a quarantined batch is
 * sent with the batch's run, a lost retry-due is sent again by the durable sweep, and a retry run
 * retires its batch and schedules the rows that failed again, condemning them at the third attempt.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedS3Resource.class)
@QuarkusTestResource(EmbeddedSqsResource.class)
class RetryScheduleTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    QuarantineLedger ledger;

    @Inject
    LakeLayout layout;

    @Test
    void aLostRetryDueIsSentAgainByTheSweepForTheSameRun() {
        RunValidated run = quarantinedRun(Instant.now());
        QueueProbe.send(TestLake.QUEUES.runValidatedForRetry(), EventCodec.encode(LakeEvents.runValidated(run)));

        RetryDue first = awaitRetryDue(run.runId(), 2);
        // Taking the message and never validating it is losing it: the ledger still says the attempt is outstanding.
        RetryDue again = awaitRetryDue(run.runId(), 2);

        LedgerEntry entry = ledger.find(run.runId()).orElseThrow();
        assertThat(first.retryRunId()).isEqualTo(entry.nextRunId()).endsWith("_RETRY");
        assertThat(again.retryRunId()).isEqualTo(first.retryRunId());
        assertThat(first.quarantine()).isEqualTo(run.quarantine().location());
        assertThat(first.batchKind()).isEqualTo(RetryDue.BATCH_QUARANTINE);
        assertThat(first.reason()).isEqualTo(RetryDue.REASON_SCHEDULED);
        assertThat(first.condemnOnFailure()).isFalse();
        assertThat(first.batchValidatedAt()).isEqualTo(run.validatedAt());
    }

    @Test
    void aRetryRunRetiresItsBatchAndTheThirdAttemptIsTheLast() {
        RunValidated run = quarantinedRun(Instant.now());
        QueueProbe.send(TestLake.QUEUES.runValidatedForRetry(), EventCodec.encode(LakeEvents.runValidated(run)));
        RetryDue second = awaitRetryDue(run.runId(), 2);

        RunValidated retry = retryRun(second, 4, 1, 3, 0);
        QueueProbe.send(TestLake.QUEUES.runValidatedForRetry(), EventCodec.encode(LakeEvents.runValidated(retry)));
        RetryDue third = awaitRetryDue(retry.runId(), 3);

        LedgerBatch retired = ledger.batch(QuarantineLedger.BATCHES, run.runId()).orElseThrow();
        assertThat(retired.state()).isEqualTo(LedgerState.RETRIED);
        assertThat(retired.retiredBy().orElseThrow().retryRunId()).isEqualTo(retry.runId());
        assertThat(retired.retiredBy().orElseThrow().outcome()).containsEntry("silver", 1L).containsEntry("quarantined", 3L);
        LedgerBatch pending = ledger.batch(QuarantineLedger.BATCHES, retry.runId()).orElseThrow();
        assertThat(pending.attemptCount()).isEqualTo(2);
        assertThat(third.condemnOnFailure()).isTrue();
        assertThat(third.retryRunId()).isEqualTo(pending.nextRunId()).isNotEqualTo(second.retryRunId());

        RunValidated last = retryRun(third, 3, 0, 0, 3);
        QueueProbe.send(TestLake.QUEUES.runValidatedForRetry(), EventCodec.encode(LakeEvents.runValidated(last)));
        LedgerBatch condemned = awaitBatch(QuarantineLedger.CONDEMNED, last.runId());

        assertThat(condemned.state()).isEqualTo(LedgerState.CONDEMNED);
        assertThat(condemned.attemptCount()).isEqualTo(3);
        assertThat(condemned.entry().errorCounts()).containsEntry("MAX_ATTEMPTS", 3L);
        assertThat(ledger.batch(QuarantineLedger.BATCHES, retry.runId()).orElseThrow().state())
                .as("a run retires its batch before it records what it condemned").isEqualTo(LedgerState.RETRIED);
    }

    /** The contract fixture as a fresh run validated at {@code at}. */
    private static RunValidated quarantinedRun(Instant at) {
        RunValidated f = EventFixtures.<RunValidated>decoded(EventType.RUN_VALIDATED).data();
        String runId = RunId.newRun(at).value();
        return new RunValidated(runId, f.dataset(), f.schemaVersion(), f.runKind(), f.ingestDate(), f.bronze(), f.inputSha256(),
                f.outcome(), f.counts(), f.partitions(), f.quarantine(), f.fileRejection(), f.drift(), f.supersedes(), at);
    }

    private RunValidated retryRun(RetryDue due, long read, long silver, long quarantined, long condemned) {
        RunId id = RunId.of(due.retryRunId());
        return new RunValidated(id.value(), due.dataset(), "v1", RunValidated.KIND_RETRY, due.ingestDate(), due.quarantine(), "00",
                RunValidated.OUTCOME_VALIDATED, new RunValidated.Counts(read, silver, quarantined, condemned), java.util.List.of(),
                quarantined == 0 ? null : new RunValidated.QuarantineBatch(layout.invalidRows(due.ingestDate(), id), quarantined,
                        Map.of("AMOUNT_SCALE", quarantined)),
                null, null, java.util.List.of(), Instant.now(),
                condemned == 0 ? null : new RunValidated.CondemnedBatch(layout.condemnedRows(due.ingestDate(), id), condemned,
                        Map.of("MAX_ATTEMPTS", condemned)),
                new RunValidated.RetryOf(due.batchRunId(), due.batchKind(), due.quarantine(), due.attempt(), due.reason(), due.requestId(),
                        null));
    }

    static RetryDue awaitRetryDue(String batchRunId, int attempt) {
        String body = QueueProbe.await(TestLake.QUEUES.retryDue(), b -> {
            RetryDue due = EventCodec.<RetryDue>decode(b, EventType.RETRY_DUE).data();
            return due.batchRunId().equals(batchRunId) && due.attempt() == attempt;
        }, WAIT);
        return EventCodec.<RetryDue>decode(body, EventType.RETRY_DUE).data();
    }

    private LedgerBatch awaitBatch(String kind, String runId) {
        return await("the " + kind + " batch of " + runId).atMost(WAIT)
                .until(() -> ledger.batch(kind, runId), Optional::isPresent).orElseThrow();
    }
}
