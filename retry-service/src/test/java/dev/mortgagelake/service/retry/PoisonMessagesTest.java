package dev.mortgagelake.service.retry;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventFixtures;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.LakeEvents;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.retry.QuarantineLedger;
import dev.mortgagelake.testing.EmbeddedS3Resource;
import dev.mortgagelake.testing.EmbeddedSqsResource;
import dev.mortgagelake.testing.PoisonMessages;
import dev.mortgagelake.testing.QueueProbe;
import dev.mortgagelake.testing.TestLake;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Poison messages on retry-service's queue reach its dead-letter queue after a bounded number of
 * receives, are logged and counted by reason, and the run behind them enters the ledger.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedS3Resource.class)
@QuarkusTestResource(EmbeddedSqsResource.class)
class PoisonMessagesTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    @Inject
    QuarantineLedger ledger;

    @Test
    void poisonRunValidatedMessagesAreDeadLetteredAndTheRunBehindThemEntersTheLedger() {
        String queue = TestLake.QUEUES.runValidatedForRetry();
        String marker = "poison-" + UUID.randomUUID();
        RunValidated f = EventFixtures.<RunValidated>decoded(EventType.RUN_VALIDATED).data();
        RunValidated run = new RunValidated(RunId.newRun(Instant.now()).value(), f.dataset(), f.schemaVersion(), f.runKind(), f.ingestDate(),
                f.bronze(), f.inputSha256(), f.outcome(), f.counts(), f.partitions(), f.quarantine(), f.fileRejection(), f.drift(),
                f.supersedes(), f.validatedAt());

        QueueProbe.send(queue, PoisonMessages.notJson(marker + "-not-json"));
        QueueProbe.send(queue, PoisonMessages.unknownType(marker + "-unknown"));
        QueueProbe.send(queue, PoisonMessages.newerVersion(EventType.RUN_VALIDATED, marker + "-newer"));
        QueueProbe.send(queue, EventCodec.encode(LakeEvents.runValidated(run)));

        await().atMost(WITHIN).until(() -> ledger.find(run.runId()).isPresent());
        // the fixture's quarantine batch does not exist: not poison here, the batch is read only by its retry run
        assertThat(TestLake.objectStore().head(run.quarantine().location())).isEmpty();
        assertThat(PoisonMessages.awaitDeadLettered(queue, marker + "-not-json", WITHIN)).contains("not an event");
        assertThat(PoisonMessages.awaitDeadLettered(queue, marker + "-unknown", WITHIN)).contains("invoice-paid.v1");
        assertThat(PoisonMessages.awaitDeadLettered(queue, marker + "-newer", WITHIN)).contains("run-validated.v2");

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String reason : new String[] {"not_json", "unknown_type", "newer_version"}) {
            assertThat(metrics).contains("lake_poison_messages_total{channel=\"run-validated\",reason=\"" + reason
                    + "\",service=\"retry-service\"}");
        }
    }
}
