package dev.mortgagelake.service.retry;

import dev.mortgagelake.retry.LedgerState;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventFixtures;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.LakeEvent;
import dev.mortgagelake.event.LakeEvents;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.RunId;
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
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(EmbeddedS3Resource.class)
@QuarkusTestResource(EmbeddedSqsResource.class)
class RetryServiceTest {

    @Inject
    QuarantineLedger ledger;

    @Test
    void aValidatedRunWithQuarantinedRowsGetsOneLedgerEntryEvenWhenDeliveredTwice() throws Exception {
        RunValidated run = fixtureRun();
        LakeEvent<RunValidated> event = LakeEvents.runValidated(run);

        QueueProbe.send(TestLake.QUEUES.runValidatedForRetry(), EventCodec.encode(event));
        LedgerEntry entry = awaitEntry(run.runId());
        QueueProbe.send(TestLake.QUEUES.runValidatedForRetry(), EventCodec.encode(event));
        awaitQueueDrained();

        assertThat(entry.state()).isEqualTo(LedgerState.PENDING_RETRY);
        assertThat(entry.attemptCount()).isEqualTo(1);
        assertThat(entry.rows()).isEqualTo(run.quarantine().rows());
        // the test profile's backoff: first retry 2 s after validation
        assertThat(entry.nextAttemptDueAt()).isEqualTo(run.validatedAt().plusSeconds(2));
        assertThat(ledger.find(run.runId())).contains(entry);
        assertThat(TestLake.objectStore().list(TestLake.QUARANTINE_BUCKET, "quarantine/_ledger/"))
                .filteredOn(o -> o.location().key().contains(run.runId())).hasSize(1);
    }

    /** The contract fixture, as a fresh run. */
    private static RunValidated fixtureRun() {
        RunValidated f = EventFixtures.<RunValidated>decoded(EventType.RUN_VALIDATED).data();
        String runId = RunId.newRun(Instant.now()).value();
        return new RunValidated(runId, f.dataset(), f.schemaVersion(), f.runKind(), f.ingestDate(), f.bronze(), f.inputSha256(),
                f.outcome(), f.counts(), f.partitions(), f.quarantine(), f.fileRejection(), f.drift(), f.supersedes(), f.validatedAt());
    }

    private LedgerEntry awaitEntry(String runId) {
        return await("the ledger entry of " + runId).atMost(Duration.ofSeconds(30))
                .until(() -> ledger.find(runId), Optional::isPresent).orElseThrow();
    }

    private static void awaitQueueDrained() {
        String queue = TestLake.queueUrl(TestLake.QUEUES.runValidatedForRetry());
        await("retry-service consuming its queue").atMost(Duration.ofSeconds(30)).until(() -> {
            var attributes = TestLake.sqs().getQueueAttributes(r -> r.queueUrl(queue).attributeNamesWithStrings(
                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
            return "0".equals(attributes.get("ApproximateNumberOfMessages"))
                    && "0".equals(attributes.get("ApproximateNumberOfMessagesNotVisible"));
        });
    }
}
