package dev.mortgagelake.service.validation;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventFixtures;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.LakeEvent;
import dev.mortgagelake.event.RetryDue;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.event.LakeEvents;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StoredObject;
import dev.mortgagelake.testing.EmbeddedS3Resource;
import dev.mortgagelake.testing.EmbeddedSqsResource;
import dev.mortgagelake.testing.QueueProbe;
import dev.mortgagelake.testing.TestLake;
import dev.mortgagelake.validation.reference.CurrencyAllowListDocument;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@QuarkusTestResource(EmbeddedS3Resource.class)
@QuarkusTestResource(EmbeddedSqsResource.class)
class ValidationServiceTest {

    private static final String CSV = """
            TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp
            T1,C1,100.50,EUR,2026-01-02T10:00:00Z
            T2,C2,-0.01,USD,2026-01-31T23:59:59Z
            T3,C1,1234567890123456.78,EUR,2026-02-01T00:30:00+01:00
            T4,C3,10.123,EUR,2026-02-03T10:00:00Z
            T5,C3,10.00,XYZ,2026-02-03T10:00:00Z
            T6,C4,5.00,EUR,2026-02-03T10:00:00
            """;

    private final ObjectStore store = TestLake.objectStore();
    private final LakeLayout layout = new LakeLayout(TestLake.BUCKETS);

    @Test
    void aLandedRunIsValidatedIntoSilverAndQuarantineAndAnnouncedToPublishAndRetry() throws Exception {
        FileLanded landed = landInBronze(gzip(CSV));

        QueueProbe.send(TestLake.QUEUES.fileLanded(), EventCodec.encode(LakeEvents.fileLanded(landed)));

        RunValidated toPublish = awaitRunValidated(TestLake.QUEUES.runValidatedForPublish(), landed.runId());
        RunValidated toRetry = awaitRunValidated(TestLake.QUEUES.runValidatedForRetry(), landed.runId());
        assertThat(toRetry).isEqualTo(toPublish);

        assertThat(toPublish.outcome()).isEqualTo(RunValidated.OUTCOME_VALIDATED);
        assertThat(toPublish.counts()).isEqualTo(new RunValidated.Counts(6, 3, 3, 0));
        assertThat(toPublish.inputSha256()).isEqualTo(landed.sha256());
        // T3 is 2026-01-31T23:30Z in UTC: the offset decides the business month
        assertThat(toPublish.partitions()).extracting(RunValidated.Partition::yearMonth, RunValidated.Partition::rows)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2026-01", 3L));
        assertThat(toPublish.quarantine().rows()).isEqualTo(3);
        assertThat(toPublish.quarantine().errorCounts())
                .containsEntry("AMOUNT_SCALE", 1L).containsEntry("CURRENCY_NOT_ALLOWED", 1L).containsEntry("TIMESTAMP_NO_ZONE", 1L);
        String partition = layout.silverPartitionPrefix(java.time.YearMonth.of(2026, 1), "v1", RunId.of(landed.runId()));
        assertThat(store.list(TestLake.SILVER_BUCKET, partition)).extracting(o -> o.location().fileName())
                .containsExactlyInAnyOrder("part-00000.parquet", "manifest.json", "_SUCCESS");
        assertThat(store.head(layout.invalidRows(landed.ingestDate(), RunId.of(landed.runId())))).isPresent();

        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("lake_rows_total{layer=\"silver\",outcome=\"valid\"}"));
    }

    @Test
    void fileLandedDeliveredTwiceLeavesTheLakeAsIfDeliveredOnceAndReEmitsTheSameResult() throws Exception {
        FileLanded landed = landInBronze(CSV.getBytes(StandardCharsets.UTF_8));
        String event = EventCodec.encode(LakeEvents.fileLanded(landed));

        QueueProbe.send(TestLake.QUEUES.fileLanded(), event);
        RunValidated first = awaitRunValidated(TestLake.QUEUES.runValidatedForPublish(), landed.runId());
        awaitRunValidated(TestLake.QUEUES.runValidatedForRetry(), landed.runId());
        Map<String, String> before = objectsOfRun(landed.runId());

        QueueProbe.send(TestLake.QUEUES.fileLanded(), event);
        RunValidated second = awaitRunValidated(TestLake.QUEUES.runValidatedForPublish(), landed.runId());
        awaitRunValidated(TestLake.QUEUES.runValidatedForRetry(), landed.runId());

        assertThat(second).isEqualTo(first);
        assertThat(objectsOfRun(landed.runId())).isEqualTo(before);
    }

    @Test
    void aCorruptGzipIsAFileRejectionNotALostFile() throws Exception {
        byte[] gz = gzip(CSV);
        byte[] truncated = java.util.Arrays.copyOf(gz, gz.length / 2);
        FileLanded landed = landInBronze(truncated);

        QueueProbe.send(TestLake.QUEUES.fileLanded(), EventCodec.encode(LakeEvents.fileLanded(landed)));

        RunValidated run = awaitRunValidated(TestLake.QUEUES.runValidatedForPublish(), landed.runId());
        awaitRunValidated(TestLake.QUEUES.runValidatedForRetry(), landed.runId());
        assertThat(run.outcome()).isEqualTo(RunValidated.OUTCOME_FILE_REJECTED);
        assertThat(run.fileRejection().code()).isEqualTo("CORRUPT_GZIP");
        assertThat(store.head(run.fileRejection().record())).isPresent();
        assertThat(store.read(landed.bronze())).isEqualTo(truncated);
    }

    @Test
    void aCurrencyAddedToTheReferenceDataTakesEffectForTheNextFileWithoutARestart() throws Exception {
        Location reference = layout.currencyAllowList();
        byte[] original = store.read(reference);
        String brl = """
                TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp,Channel
                B1,C1,100.00,BRL,2026-01-02T10:00:00Z,web
                """;
        try {
            FileLanded before = landInBronze(brl.getBytes(StandardCharsets.UTF_8));
            QueueProbe.send(TestLake.QUEUES.fileLanded(), EventCodec.encode(LakeEvents.fileLanded(before)));
            RunValidated rejected = awaitRunValidated(TestLake.QUEUES.runValidatedForPublish(), before.runId());
            awaitRunValidated(TestLake.QUEUES.runValidatedForRetry(), before.runId());
            assertThat(rejected.counts()).isEqualTo(new RunValidated.Counts(1, 0, 1, 0));
            assertThat(rejected.quarantine().errorCounts()).containsOnlyKeys("CURRENCY_NOT_ALLOWED");
            // drift: an unseen enum value (a well-formed currency off the list) and an unknown column, by dataset
            given().when().get("/q/metrics").then().statusCode(200)
                    .body(containsString("lake_drift_unseen_enum_values_total{column=\"Currency\",dataset=\"mortgages/transactions\"}"))
                    .body(containsString("lake_schema_drift_columns_total{dataset=\"mortgages/transactions\",kind=\"unknown\"}"))
                    .body(containsString("lake_schema_drift_columns_total{dataset=\"mortgages/transactions\",kind=\"missing\"}"));

            // The quality team adds BRL.
            CurrencyAllowListDocument current = CurrencyAllowListDocument.parse(original);
            java.util.Set<String> codes = new java.util.TreeSet<>(current.codes());
            codes.add("BRL");
            store.replace(reference, CurrencyAllowListDocument.of(codes, current.description()).toJson(), "application/json");

            FileLanded after = landInBronze(brl.replace("B1,", "B2,").getBytes(StandardCharsets.UTF_8));
            QueueProbe.send(TestLake.QUEUES.fileLanded(), EventCodec.encode(LakeEvents.fileLanded(after)));
            RunValidated accepted = awaitRunValidated(TestLake.QUEUES.runValidatedForPublish(), after.runId());
            awaitRunValidated(TestLake.QUEUES.runValidatedForRetry(), after.runId());
            assertThat(accepted.counts()).isEqualTo(new RunValidated.Counts(1, 1, 0, 0));
        } finally {
            store.replace(reference, original, "application/json");
        }
    }

    @Test
    void aTransactionTypeOffTheEnumerationIsQuarantinedAndAnnouncedAsANewEnumValue() throws Exception {
        String csv = """
                TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp,TransactionType
                Y1,C1,10.00,EUR,2026-01-05T10:00:00Z,PAYMENT
                Y2,C2,20.00,EUR,2026-01-06T10:00:00Z,REFUND
                Y3,C3,30.00,EUR,2026-01-07T10:00:00Z,REFUND
                """;
        FileLanded landed = landInBronze(csv.getBytes(StandardCharsets.UTF_8));

        QueueProbe.send(TestLake.QUEUES.fileLanded(), EventCodec.encode(LakeEvents.fileLanded(landed)));

        String body = QueueProbe.await(TestLake.QUEUES.runValidatedForPublish(), b -> b.contains("\"subject\":\"" + landed.runId() + "\""),
                Duration.ofSeconds(60));
        assertThat(body).contains("\"new_enum_values\":{\"transaction_type\":{\"REFUND\":2}}");
        RunValidated run = (RunValidated) EventFixtures.assertConformsToFixture(body, EventType.RUN_VALIDATED).data();
        awaitRunValidated(TestLake.QUEUES.runValidatedForRetry(), landed.runId());
        assertThat(run.counts()).isEqualTo(new RunValidated.Counts(3, 1, 2, 0));
        assertThat(run.quarantine().errorCounts()).containsOnlyKeys("TRANSACTION_TYPE_UNKNOWN_VALUE");
        assertThat(run.drift().unknownColumns()).isEmpty();
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("lake_drift_unseen_enum_values_total{column=\"TransactionType\",dataset=\"mortgages/transactions\"} 2.0"))
                .body(containsString("lake_quarantine_rows_by_error_total{code=\"TRANSACTION_TYPE_UNKNOWN_VALUE\"} 2.0"));
    }

    @Test
    void aRetryDueReValidatesTheBatchAsARetryRunAnnouncedToPublishAndRetry() throws Exception {
        Location reference = layout.currencyAllowList();
        byte[] original = store.read(reference);
        String csv = """
                TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp
                R1,C1,10.00,EUR,2026-01-05T10:00:00Z
                R2,C2,20.00,QQQ,2026-01-06T10:00:00Z
                R3,C3,30.001,EUR,2026-01-07T10:00:00Z
                """;
        try {
            FileLanded landed = landInBronze(csv.getBytes(StandardCharsets.UTF_8));
            QueueProbe.send(TestLake.QUEUES.fileLanded(), EventCodec.encode(LakeEvents.fileLanded(landed)));
            RunValidated batch = awaitRunValidated(TestLake.QUEUES.runValidatedForPublish(), landed.runId());
            awaitRunValidated(TestLake.QUEUES.runValidatedForRetry(), landed.runId());
            assertThat(batch.counts()).isEqualTo(new RunValidated.Counts(3, 1, 2, 0));

            // The quality team adds QQQ; retry-service says attempt 2 is due.
            CurrencyAllowListDocument current = CurrencyAllowListDocument.parse(original);
            java.util.Set<String> codes = new java.util.TreeSet<>(current.codes());
            codes.add("QQQ");
            store.replace(reference, CurrencyAllowListDocument.of(codes, current.description()).toJson(), "application/json");
            Instant now = Instant.now();
            RetryDue due = new RetryDue(batch.runId(), batch.dataset(), batch.ingestDate(), batch.quarantine().location(), 2, now,
                    RetryDue.REASON_SCHEDULED, RunId.newRun(now, RunValidated.KIND_RETRY).value(), RetryDue.BATCH_QUARANTINE,
                    batch.validatedAt(), false, null);

            QueueProbe.send(TestLake.QUEUES.retryDue(), EventCodec.encode(LakeEvents.retryDue(due)));

            RunValidated toPublish = awaitRunValidated(TestLake.QUEUES.runValidatedForPublish(), due.retryRunId());
            RunValidated toRetry = awaitRunValidated(TestLake.QUEUES.runValidatedForRetry(), due.retryRunId());
            assertThat(toRetry).isEqualTo(toPublish);
            assertThat(toPublish.runKind()).isEqualTo(RunValidated.KIND_RETRY);
            assertThat(toPublish.bronze()).isEqualTo(batch.quarantine().location());
            assertThat(toPublish.counts()).isEqualTo(new RunValidated.Counts(2, 1, 1, 0));
            Location retried = layout.retriedRows(batch.ingestDate(), RunId.of(due.retryRunId()));
            assertThat(toPublish.retry()).isEqualTo(new RunValidated.RetryOf(batch.runId(), RetryDue.BATCH_QUARANTINE,
                    batch.quarantine().location(), 2, RetryDue.REASON_SCHEDULED, null, retried));
            assertThat(store.head(retried)).isPresent();
            assertThat(toPublish.quarantine().errorCounts()).containsOnlyKeys("AMOUNT_SCALE");
            assertThat(toPublish.partitions()).extracting(RunValidated.Partition::yearMonth).containsExactly("2026-01");

            given().when().get("/q/metrics").then().statusCode(200)
                    .body(containsString("lake_validation_retry_rows_total{outcome=\"silver\"} 1.0"))
                    .body(containsString("lake_validation_retry_rows_total{outcome=\"quarantined\"} 1.0"))
                    .body(containsString("lake_validation_retry_runs_total{reason=\"SCHEDULED\"} 1.0"))
                    .body(containsString("lake_validation_retry_duration_seconds_count{outcome=\"validated\"} 1"));
        } finally {
            store.replace(reference, original, "application/json");
        }
    }

    /** Puts {@code content} into Bronze as a new run, the way ingest-service would, and describes it like the fixture. */
    private FileLanded landInBronze(byte[] content) throws Exception {
        FileLanded fixture = EventFixtures.<FileLanded>decoded(EventType.FILE_LANDED).data();
        Instant now = Instant.now();
        RunId runId = RunId.newRun(now);
        LocalDate ingestDate = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Location bronze = layout.bronzeFile(ingestDate, runId, "transactions.csv.gz");
        store.create(bronze, content, "application/octet-stream");
        return new FileLanded(runId.value(), fixture.dataset(), fixture.schemaVersion(), fixture.runKind(), ingestDate,
                new Location(TestLake.LANDING_BUCKET, "incoming/transactions.csv.gz"), bronze,
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), content.length, now, List.of());
    }

    @SuppressWarnings("unchecked")
    private static RunValidated awaitRunValidated(String queue, String runId) {
        String body = QueueProbe.await(queue, b -> b.contains("\"subject\":\"" + runId + "\""), Duration.ofSeconds(60));
        LakeEvent<Object> event = EventFixtures.assertConformsToFixture(body, EventType.RUN_VALIDATED);
        assertThat(event.id()).isEqualTo(runId + "/run-validated");
        return (RunValidated) event.data();
    }

    private Map<String, String> objectsOfRun(String runId) {
        return java.util.stream.Stream.of(TestLake.SILVER_BUCKET, TestLake.QUARANTINE_BUCKET)
                .flatMap(bucket -> store.list(bucket, "").stream())
                .filter(o -> o.location().key().contains(runId))
                .collect(Collectors.toMap(o -> o.location().toString(), StoredObject::etag));
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
