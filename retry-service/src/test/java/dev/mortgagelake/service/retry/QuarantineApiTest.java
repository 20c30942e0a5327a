package dev.mortgagelake.service.retry;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventFixtures;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.LakeEvents;
import dev.mortgagelake.event.RetryDue;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.retry.QuarantineLedger;
import dev.mortgagelake.testing.EmbeddedS3Resource;
import dev.mortgagelake.testing.EmbeddedSqsResource;
import dev.mortgagelake.testing.OperatorApi;
import dev.mortgagelake.testing.QueueProbe;
import dev.mortgagelake.testing.TestLake;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The quarantine operator API: roles, the four-eyes rule over HTTP, and the audit trail it leaves. */
@QuarkusTest
@QuarkusTestResource(EmbeddedS3Resource.class)
@QuarkusTestResource(EmbeddedSqsResource.class)
class QuarantineApiTest {

    @Inject
    QuarantineLedger ledger;

    @Inject
    LakeLayout layout;

    @Test
    void noOperatorEndpointIsReachableWithoutCredentials() {
        List<String> calls = OperatorApi.operations();

        assertThat(calls).contains("GET /quarantine/batches", "POST /quarantine/condemned/{runId}/reprocess",
                "POST /quarantine/requests/{requestId}/approve", "GET /quarantine/audit", "GET /quarantine/conservation");
        OperatorApi.assertEveryOperationNeedsCredentials(calls,
                path -> path.replace("{runId}", "20260101T000000000Z-00000000").replace("{requestId}", "none"), "{\"reason\": \"x\"}",
                "rita");
    }

    @Test
    void theRequesterCannotApproveAndAnotherApproverReleasesTheCondemnedRows() {
        RunValidated run = condemnedRun();
        QueueProbe.send(TestLake.QUEUES.runValidatedForRetry(), EventCodec.encode(LakeEvents.runValidated(run)));
        awaitCondemned(run.runId());

        OperatorApi.as("olivia").body("{\"reason\": \"ops\"}").post("/quarantine/condemned/{runId}/reprocess", run.runId())
                .then().statusCode(403);
        OperatorApi.as("sam").body("{}").post("/quarantine/condemned/{runId}/reprocess", run.runId())
                .then().statusCode(400).body("message", containsString("reason is required"));
        String requestId = OperatorApi.as("sam").body("{\"reason\": \"vendor resent the file with corrected ids\"}")
                .post("/quarantine/condemned/{runId}/reprocess", run.runId())
                .then().statusCode(201).body("request.requested_by", equalTo("sam")).extract().path("request.request_id");
        OperatorApi.as("quinn").body("{\"reason\": \"again\"}").post("/quarantine/condemned/{runId}/reprocess", run.runId())
                .then().statusCode(409).body("message", containsString("already has request"));

        OperatorApi.as("sam").body("{\"reason\": \"looks right\"}").post("/quarantine/requests/{id}/approve", requestId)
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:mortgage-lake:problem:four-eyes")).body("status", equalTo(403))
                .body("error", equalTo("FOUR_EYES")).body("message", containsString("four-eyes")).body("detail", containsString("four-eyes"));
        OperatorApi.as("quinn").body("{\"reason\": \"ok\"}").post("/quarantine/requests/{id}/approve", requestId)
                .then().statusCode(403);
        OperatorApi.as("olivia").get("/quarantine/requests?state=PENDING").then().statusCode(200)
                .body("request.request_id", org.hamcrest.Matchers.hasItem(requestId));

        OperatorApi.as("rita").body("{\"reason\": \"agreed with the recommendation\"}").post("/quarantine/requests/{id}/approve", requestId)
                .then().statusCode(200).body("decision.decision", equalTo("APPROVED")).body("decision.decided_by", equalTo("rita"));

        String body = QueueProbe.await(TestLake.QUEUES.retryDue(), b -> b.contains(run.runId()) && b.contains("REPROCESS"), Duration.ofSeconds(30));
        RetryDue due = EventCodec.<RetryDue>decode(body, EventType.RETRY_DUE).data();
        assertThat(due.batchKind()).isEqualTo(RetryDue.BATCH_CONDEMNED);
        assertThat(due.requestId()).isEqualTo(requestId);
        assertThat(due.attempt()).isEqualTo(2);
        OperatorApi.as("quinn").get("/quarantine/condemned/{runId}", run.runId()).then().statusCode(200)
                .body("state", equalTo("REPROCESSING_APPROVED")).body("next_run_id", equalTo(due.retryRunId()));

        JsonPath audit = OperatorApi.as("fiona").get("/quarantine/audit?batch={runId}", run.runId()).then().statusCode(200).extract().jsonPath();
        assertThat(audit.getList("action", String.class)).containsSubsequence("CONDEMNED", "REQUESTED", "DECISION_REFUSED", "APPROVED");
        assertThat(audit.getList("actor", String.class)).containsSubsequence("retry-service", "sam", "sam", "rita");
        assertThat(audit.getList("role", String.class)).contains("quality-analyst", "quality-approver");
        OperatorApi.as("fiona").get("/quarantine/audit?actor=rita&action=APPROVED").then().statusCode(200)
                .body("subject", org.hamcrest.Matchers.hasItem(requestId));
        OperatorApi.as("fiona").get("/quarantine/audit?since=yesterday").then().statusCode(400).body("message", containsString("ISO-8601"));
    }

    @Test
    void unknownBatchesAndRequestsAreNotFound() {
        OperatorApi.as("quinn").get("/quarantine/batches/{runId}", "20260101T000000000Z-00000000").then().statusCode(404);
        OperatorApi.as("quinn").get("/quarantine/batches/{runId}", "not-a-run").then().statusCode(404)
                .body("message", containsString("Not a run id"));
        OperatorApi.as("rita").body("{\"reason\": \"x\"}").post("/quarantine/requests/{id}/approve", "nope").then().statusCode(404);
        OperatorApi.as("fiona").get("/quarantine/conservation").then().statusCode(200).body("violations", org.hamcrest.Matchers.notNullValue());
        // role sets: the finance controller reads the audit trail and conservation, not the quarantine's rows
        OperatorApi.as("fiona").get("/quarantine/batches").then().statusCode(403);
        OperatorApi.as("olivia").get("/quarantine/batches").then().statusCode(200);
    }

    private RunValidated condemnedRun() {
        RunValidated f = EventFixtures.<RunValidated>decoded(EventType.RUN_VALIDATED).data();
        RunId id = RunId.newRun(Instant.now());
        return new RunValidated(id.value(), f.dataset(), f.schemaVersion(), f.runKind(), f.ingestDate(), f.bronze(), f.inputSha256(),
                f.outcome(), new RunValidated.Counts(10, 8, 0, 2), f.partitions(), null, null, f.drift(), f.supersedes(), Instant.now(),
                new RunValidated.CondemnedBatch(layout.condemnedRows(f.ingestDate(), id), 2, Map.of("DUPLICATE_EXACT", 2L)));
    }

    private void awaitCondemned(String runId) {
        await("the condemned batch of " + runId).atMost(Duration.ofSeconds(30))
                .until(() -> ledger.batch(QuarantineLedger.CONDEMNED, runId).isPresent());
    }
}
