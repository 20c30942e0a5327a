package dev.mortgagelake.service.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventFixtures;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.LakeEvent;
import dev.mortgagelake.ingest.IngestOutcome;
import dev.mortgagelake.ingest.LandingIngest;
import dev.mortgagelake.ingest.notification.LandedObject;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StoredObject;
import dev.mortgagelake.testing.EmbeddedS3Resource;
import dev.mortgagelake.testing.EmbeddedSqsResource;
import dev.mortgagelake.testing.QueueProbe;
import dev.mortgagelake.testing.OperatorApi;
import dev.mortgagelake.testing.TestLake;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backfill API over the real service and the embedded servers: every endpoint refuses anonymous
 * callers and wrong passwords, requesting needs {@code platform-operator}, and a request turns the
 * original files of a date into {@code file-landed} events of kind BACKFILL on the file-landed queue.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedS3Resource.class)
@QuarkusTestResource(EmbeddedSqsResource.class)
class BackfillApiTest {

    private final ObjectStore store = TestLake.objectStore();
    private final LakeLayout layout = new LakeLayout(TestLake.BUCKETS);

    @Test
    void everyEndpointOfTheOpenApiDocumentNeedsCredentials() throws Exception {
        List<String> calls = OperatorApi.operations();
        assertThat(calls).containsExactlyInAnyOrder("POST /operator/backfills", "GET /operator/backfills",
                "GET /operator/backfills/{id}");
        String body = "{\"dataset\":\"mortgages/transactions\",\"from\":\"2001-01-01\",\"to\":\"2001-01-01\",\"reason\":\"x\"}";
        OperatorApi.assertEveryOperationNeedsCredentials(calls, path -> path.replace("{id}", "bf-x"), body, "olivia");
    }

    @Test
    void onlyAPlatformOperatorRequestsAndEveryOperatorRoleReads() {
        String body = "{\"dataset\":\"mortgages/transactions\",\"from\":\"2001-01-01\",\"to\":\"2001-01-01\",\"reason\":\"x\","
                + "\"request_id\":\"refused-" + UUID.randomUUID() + "\"}";
        for (String user : List.of("quinn", "rita", "fiona")) {
            OperatorApi.as(user).body(body).post("/operator/backfills").then().statusCode(403);
            OperatorApi.as(user).get("/operator/backfills").then().statusCode(200);
        }
        OperatorApi.as("olivia").get("/operator/backfills").then().statusCode(200);
        OperatorApi.as("fiona").get("/operator/backfills/no-such-request").then().statusCode(404);
        OperatorApi.as("olivia").body("{\"dataset\":\"mortgages/other\",\"from\":\"2001-01-01\",\"to\":\"2001-01-01\",\"reason\":\"x\"}")
                .post("/operator/backfills").then().statusCode(400);
    }

    @Test
    void aBackfillRequestEmitsFileLandedOfKindBackfillThatSupersedesTheOriginalRun() throws Exception {
        // An original ingest on a date of its own (so no other test's files are in the range).
        LocalDate date = LocalDate.of(2001, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(3000));
        String csv = "TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp\n"
                + "B-" + UUID.randomUUID() + ",C1,10.00,EUR,2026-01-02T10:00:00Z\n";
        StoredObject landed = store.replace(new Location(TestLake.LANDING_BUCKET, "incoming/backfill-" + date + ".csv"),
                csv.getBytes(StandardCharsets.UTF_8), "text/csv");
        IngestOutcome original = new LandingIngest(store, layout, Clock.fixed(date.atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC))
                .ingest(new LandedObject(landed.location(), landed.size(), landed.etag(), Instant.now()), event -> {
                });
        String requestId = "bf-" + UUID.randomUUID();
        String body = "{\"dataset\":\"mortgages/transactions\",\"from\":\"" + date + "\",\"to\":\"" + date + "\","
                + "\"reason\":\"reprocess after the contract fix\",\"request_id\":\"" + requestId + "\"}";

        JsonNode record = EventCodec.mapper().readTree(OperatorApi.as("olivia").body(body).post("/operator/backfills").then().statusCode(202)
                .extract().asString());

        assertThat(record.path("request_id").asText()).isEqualTo(requestId);
        assertThat(record.path("requested_by").asText()).isEqualTo("olivia");
        assertThat(record.path("reason").asText()).isEqualTo("reprocess after the contract fix");
        assertThat(record.path("runs")).hasSize(1);
        String runId = record.path("runs").get(0).path("run_id").asText();
        assertThat(runId).endsWith("_BACKFILL");

        @SuppressWarnings("unchecked")
        LakeEvent<FileLanded> event = (LakeEvent<FileLanded>) (LakeEvent<?>) EventFixtures.assertConformsToFixture(
                QueueProbe.await(TestLake.QUEUES.fileLanded(), b -> b.contains(runId), Duration.ofSeconds(30)), EventType.FILE_LANDED);
        assertThat(event.data().runKind()).isEqualTo(FileLanded.KIND_BACKFILL);
        assertThat(event.data().supersedes()).containsExactly(original.runId());
        assertThat(event.data().sha256()).isEqualTo(original.sha256());
        assertThat(store.read(event.data().bronze())).isEqualTo(csv.getBytes(StandardCharsets.UTF_8));

        // Retried with the same id: the same record, nothing new on the queue.
        OperatorApi.as("olivia").body(body).post("/operator/backfills").then().statusCode(202);
        assertThat(QueueProbe.take(TestLake.QUEUES.fileLanded(), b -> b.contains("\"sha256\":\"" + original.sha256() + "\""),
                Duration.ofSeconds(3))).isEmpty();
        JsonNode read = EventCodec.mapper().readTree(OperatorApi.as("quinn").get("/operator/backfills/" + requestId).then().statusCode(200)
                .extract().asString());
        assertThat(read.path("runs").get(0).path("run_id").asText()).isEqualTo(runId);
        assertThat(read.path("roles").toString()).contains("platform-operator");
    }
}
