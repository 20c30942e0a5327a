package dev.mortgagelake.service.validation;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventFixtures;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.LakeEvents;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.testing.EmbeddedS3Resource;
import dev.mortgagelake.testing.EmbeddedSqsResource;
import dev.mortgagelake.testing.PoisonMessages;
import dev.mortgagelake.testing.QueueProbe;
import dev.mortgagelake.testing.TestLake;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * Poison messages on validation-service's queues reach their dead-letter queue after a bounded number
 * of receives, are logged and counted by reason, and do not stop the messages behind them.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedS3Resource.class)
@QuarkusTestResource(EmbeddedSqsResource.class)
class PoisonMessagesTest {

    private static final Duration DEAD_LETTER_WITHIN = Duration.ofSeconds(60);

    private final LakeLayout layout = new LakeLayout(TestLake.BUCKETS);

    @Test
    void poisonFileLandedMessagesAreDeadLetteredAndTheFileBehindThemIsValidated() throws Exception {
        String queue = TestLake.QUEUES.fileLanded();
        String marker = "poison-" + UUID.randomUUID();
        FileLanded missing = describe(("TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp\n").getBytes(StandardCharsets.UTF_8), false);

        QueueProbe.send(queue, PoisonMessages.notJson(marker + "-not-json"));
        QueueProbe.send(queue, PoisonMessages.unknownType(marker + "-unknown"));
        QueueProbe.send(queue, PoisonMessages.newerVersion(EventType.FILE_LANDED, marker + "-newer"));
        QueueProbe.send(queue, EventCodec.encode(LakeEvents.fileLanded(missing)));
        FileLanded good = describe(("TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp\n"
                + "P-" + marker + ",C1,10.00,EUR,2026-01-02T10:00:00Z\n").getBytes(StandardCharsets.UTF_8), true);
        QueueProbe.send(queue, EventCodec.encode(LakeEvents.fileLanded(good)));

        String validated = QueueProbe.await(TestLake.QUEUES.runValidatedForPublish(), b -> b.contains("\"subject\":\"" + good.runId() + "\""),
                DEAD_LETTER_WITHIN);
        QueueProbe.await(TestLake.QUEUES.runValidatedForRetry(), b -> b.contains("\"subject\":\"" + good.runId() + "\""), DEAD_LETTER_WITHIN);
        assertThat(EventCodec.<RunValidated>decode(validated, EventType.RUN_VALIDATED).data().counts().silver()).isEqualTo(1);

        assertThat(PoisonMessages.awaitDeadLettered(queue, marker + "-not-json", DEAD_LETTER_WITHIN)).contains("not an event");
        assertThat(PoisonMessages.awaitDeadLettered(queue, marker + "-unknown", DEAD_LETTER_WITHIN)).contains("invoice-paid.v1");
        assertThat(PoisonMessages.awaitDeadLettered(queue, marker + "-newer", DEAD_LETTER_WITHIN)).contains("file-landed.v2");
        assertThat(PoisonMessages.awaitDeadLettered(queue, missing.runId(), DEAD_LETTER_WITHIN)).contains(missing.bronze().key());
        // nothing was validated for the missing file
        assertThat(QueueProbe.take(TestLake.QUEUES.runValidatedForPublish(), b -> b.contains(missing.runId()), Duration.ofSeconds(1))).isEmpty();

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String reason : List.of("not_json", "unknown_type", "newer_version", "missing_object")) {
            assertThat(metrics).contains("lake_poison_messages_total{channel=\"file-landed\",reason=\"" + reason
                    + "\",service=\"validation-service\"}");
        }
    }

    @Test
    void aRetryDueNamingABatchThatDoesNotExistIsDeadLetteredAsAMissingObject() throws Exception {
        String queue = TestLake.QUEUES.retryDue();
        Instant now = Instant.now();
        RunId batch = RunId.newRun(now);
        LocalDate ingestDate = LocalDate.ofInstant(now, ZoneOffset.UTC);
        dev.mortgagelake.event.RetryDue due = new dev.mortgagelake.event.RetryDue(batch.value(), "mortgages/transactions", ingestDate,
                layout.invalidRows(ingestDate, batch), 2, now, dev.mortgagelake.event.RetryDue.REASON_SCHEDULED,
                RunId.newRun(now, RunValidated.KIND_RETRY).value(), dev.mortgagelake.event.RetryDue.BATCH_QUARANTINE, now, false, null);

        QueueProbe.send(queue, EventCodec.encode(LakeEvents.retryDue(due)));

        assertThat(PoisonMessages.awaitDeadLettered(queue, due.retryRunId(), DEAD_LETTER_WITHIN)).contains(batch.value());
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("lake_poison_messages_total{channel=\"retry-due\",reason=\"missing_object\",service=\"validation-service\"}"));
    }

    /** A file-landed event for {@code content}; stored in Bronze only if {@code store}. */
    private FileLanded describe(byte[] content, boolean store) throws Exception {
        FileLanded fixture = EventFixtures.<FileLanded>decoded(EventType.FILE_LANDED).data();
        Instant now = Instant.now();
        RunId runId = RunId.newRun(now);
        LocalDate ingestDate = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Location bronze = layout.bronzeFile(ingestDate, runId, "transactions.csv");
        if (store) {
            TestLake.objectStore().create(bronze, content, "text/csv");
        }
        return new FileLanded(runId.value(), fixture.dataset(), fixture.schemaVersion(), fixture.runKind(), ingestDate,
                new Location(TestLake.LANDING_BUCKET, "incoming/transactions.csv"), bronze,
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), content.length, now, List.of());
    }
}
