package dev.mortgagelake.service.publish;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.publish.RunPromotion;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.testing.EmbeddedS3Resource;
import dev.mortgagelake.testing.EmbeddedSqsResource;
import dev.mortgagelake.testing.QueueProbe;
import dev.mortgagelake.testing.OperatorApi;
import dev.mortgagelake.testing.TestLake;
import dev.mortgagelake.validation.RunValidator;
import dev.mortgagelake.validation.ValidationConfig;
import dev.mortgagelake.validation.contract.CommonIsoCurrencies;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The operator API over the real service and the embedded servers: every endpoint of the OpenAPI
 * document refuses anonymous callers, mutating endpoints refuse the wrong roles, and the right
 * roles approve, reject, roll back and reconcile.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedS3Resource.class)
@QuarkusTestResource(EmbeddedSqsResource.class)
class OperatorApiTest {

    private static final String CLEAN = """
            TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp
            T1,C1,100.50,EUR,2026-03-02T10:00:00Z
            T2,C2,-20.00,USD,2026-03-05T10:00:00Z
            T3,C2,7.5,GBP,2026-04-03T10:00:00Z
            """;
    /** Half the rows are invalid: far above the 5% quarantine threshold, so the run is held. */
    private static final String NOISY = """
            TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp
            N1,C1,10.00,EUR,2026-03-02T10:00:00Z
            N2,C2,oops,EUR,2026-03-05T10:00:00Z
            N3,C2,7.50,GBP,2026-03-03T10:00:00Z
            N4,C3,1.00,XYZ,2026-03-03T10:00:00Z
            """;
    private static final String SILVER = "silver.mortgages.transactions";

    @Inject
    RunPromotion promotion;

    @TempDir
    Path work;

    private final ObjectStore store = TestLake.objectStore();
    private final LakeLayout layout = new LakeLayout(TestLake.BUCKETS);

    @Test
    void everyEndpointOfTheOpenApiDocumentNeedsCredentials() throws Exception {
        List<String> calls = OperatorApi.operations();
        assertThat(calls).containsExactlyInAnyOrder(
                "GET /operator/tables", "GET /operator/tables/{table}/versions", "GET /operator/tables/{table}/versions/{version}",
                "POST /operator/tables/{table}/rollback", "POST /operator/tables/{table}/reconcile", "GET /operator/held-runs",
                "GET /operator/held-runs/{runId}", "POST /operator/held-runs/{runId}/approve", "POST /operator/held-runs/{runId}/reject",
                "GET /operator/runs", "GET /operator/runs/{runId}");
        OperatorApi.assertEveryOperationNeedsCredentials(calls, path -> path.replace("{table}", SILVER).replace("{version}", "1")
                .replace("{runId}", "20260121T120000000Z-00000000"), "{\"reason\":\"x\"}", "fiona");
    }

    @Test
    void mutatingEndpointsRefuseTheWrongRoles() throws Exception {
        String held = heldRun();
        for (String user : List.of("olivia", "quinn", "rita")) {
            OperatorApi.as(user).body("{\"reason\":\"x\"}").post("/operator/held-runs/" + held + "/approve").then().statusCode(403);
            OperatorApi.as(user).body("{\"reason\":\"x\"}").post("/operator/held-runs/" + held + "/reject").then().statusCode(403);
            OperatorApi.as(user).body("{\"to_version\":1,\"expected_version\":2,\"reason\":\"x\"}")
                    .post("/operator/tables/" + SILVER + "/rollback").then().statusCode(403);
        }
        OperatorApi.as("quinn").post("/operator/tables/" + SILVER + "/reconcile").then().statusCode(403);
        OperatorApi.as("rita").post("/operator/tables/" + SILVER + "/reconcile").then().statusCode(403);
        assertThat(promotion.heldRuns().decision(held)).isEmpty();
        // Every operator role may read.
        for (String user : List.of("olivia", "quinn", "rita", "fiona")) {
            OperatorApi.as(user).get("/operator/held-runs/" + held).then().statusCode(200);
            OperatorApi.as(user).get("/operator/tables").then().statusCode(200);
        }
    }

    @Test
    void aFinanceControllerApprovesAHeldRunWhichIsThenPromotedAndAnnounced() throws Exception {
        String held = heldRun();
        String listed = OperatorApi.as("quinn").get("/operator/held-runs").then().statusCode(200).extract().asString();
        assertThat(listed).contains("\"run_id\":\"" + held + "\"").contains("QUARANTINE_RATE_ABOVE_THRESHOLD");
        OperatorApi.as("fiona").body("{}").post("/operator/held-runs/" + held + "/approve").then().statusCode(400);

        JsonNode approved = json(OperatorApi.as("fiona").body("{\"reason\":\"partner sent known bad rows\"}")
                .post("/operator/held-runs/" + held + "/approve").then().statusCode(200).extract().asString());

        assertThat(approved.get("status").asText()).isEqualTo("PROMOTED");
        assertThat(promotion.log().current().containsRun(held)).isTrue();
        QueueProbe.await(TestLake.QUEUES.runPromoted(), b -> b.contains("\"subject\":\"" + held + "\""), Duration.ofSeconds(30));
        JsonNode view = json(OperatorApi.as("rita").get("/operator/held-runs/" + held).then().statusCode(200).extract().asString());
        assertThat(view.get("status").asText()).isEqualTo("APPROVED");
        assertThat(view.path("decision").get("decided_by").asText()).isEqualTo("fiona");
        OperatorApi.as("fiona").body("{\"reason\":\"x\"}").post("/operator/held-runs/" + held + "/reject").then().statusCode(409);
    }

    @Test
    void aRejectedRunCannotBeApprovedAndRollbackMakesANewVersion() throws Exception {
        String held = heldRun();
        OperatorApi.as("fiona").body("{\"reason\":\"wrong file\"}").post("/operator/held-runs/" + held + "/reject").then().statusCode(200);
        OperatorApi.as("fiona").body("{\"reason\":\"x\"}").post("/operator/held-runs/" + held + "/approve").then().statusCode(409);
        OperatorApi.as("fiona").body("{\"reason\":\"x\"}").post("/operator/held-runs/20260121T120000000Z-0000beef/approve").then().statusCode(404);

        RunValidated bad = validatedRun(CLEAN);
        assertThat(promotion.promote(validatedRun(CLEAN)).isPromoted()).isTrue();
        assertThat(promotion.promote(bad).isPromoted()).isTrue();
        long latest = promotion.log().latestVersion();
        OperatorApi.as("fiona").body("{\"to_version\":" + (latest - 1) + ",\"expected_version\":" + (latest - 1) + ",\"reason\":\"x\"}")
                .post("/operator/tables/" + SILVER + "/rollback").then().statusCode(409);

        JsonNode rolledBack = json(OperatorApi.as("fiona").body("{\"to_version\":" + (latest - 1) + ",\"expected_version\":" + latest
                + ",\"reason\":\"bad amounts\"}").post("/operator/tables/" + SILVER + "/rollback").then().statusCode(200).extract().asString());

        assertThat(rolledBack.get("version").asLong()).isEqualTo(latest + 1);
        assertThat(rolledBack.get("operation").asText()).isEqualTo("ROLLBACK");
        assertThat(rolledBack.get("retired_run_ids").toString()).contains(bad.runId());
        String history = OperatorApi.as("quinn").get("/operator/tables/" + SILVER + "/versions").then().statusCode(200).extract().asString();
        assertThat(json(history).get(json(history).size() - 1).get("operation").asText()).isEqualTo("ROLLBACK");
        OperatorApi.as("quinn").get("/operator/tables/" + SILVER + "/versions/" + latest).then().statusCode(200);
        OperatorApi.as("quinn").get("/operator/tables/gold.nothing/versions").then().statusCode(404)
                .contentType("application/problem+json").body("error", equalTo("NOT_FOUND")).body("status", equalTo(404));
        JsonNode reconciled = json(OperatorApi.as("olivia").post("/operator/tables/" + SILVER + "/reconcile").then().statusCode(200).extract().asString());
        assertThat(reconciled.get("version").asLong()).isEqualTo(latest + 1);
        assertThat(promotion.pointer().read().orElseThrow().tableVersion()).isEqualTo(latest + 1);
        assertThat(promotion.currentMatches(promotion.log().current())).isTrue();

        // Gold follows the rollback (recomputed from the rolled-back Silver version) and is listed and readable like Silver
        JsonNode tables = json(OperatorApi.as("quinn").get("/operator/tables").then().statusCode(200).extract().asString());
        assertThat(tables.findValuesAsText("name")).containsExactly(SILVER, "gold.finance.account_balances",
                "gold.finance.monthly_reports", "gold.finance.transaction_summaries");
        String goldTable = "gold.finance.account_balances";
        JsonNode goldHistory = json(OperatorApi.as("quinn").get("/operator/tables/" + goldTable + "/versions").then().statusCode(200).extract().asString());
        long goldVersion = goldHistory.get(goldHistory.size() - 1).get("version").asLong();
        JsonNode goldSnapshot = json(OperatorApi.as("quinn").get("/operator/tables/" + goldTable + "/versions/" + goldVersion).then().statusCode(200)
                .extract().asString());
        assertThat(goldSnapshot.path("source").get("version").asLong()).isEqualTo(latest + 1);
        OperatorApi.as("fiona").body("{\"to_version\":1,\"expected_version\":" + goldVersion + ",\"reason\":\"x\"}")
                .post("/operator/tables/" + goldTable + "/rollback").then().statusCode(409);
        OperatorApi.as("quinn").post("/operator/tables/" + goldTable + "/reconcile").then().statusCode(403);
        OperatorApi.as("olivia").post("/operator/tables/" + goldTable + "/reconcile").then().statusCode(200);
    }

    @Test
    void runsListEveryValidatedRunWithItsPromotionOrHold() throws Exception {
        String held = heldRun();
        RunValidated clean = validatedRun(CLEAN);
        assertThat(promotion.promote(clean).isPromoted()).isTrue();

        JsonNode runs = json(OperatorApi.as("fiona").get("/operator/runs").then().statusCode(200).extract().asString());
        JsonNode heldView = null;
        JsonNode cleanView = null;
        for (JsonNode run : runs) {
            if (run.get("run_id").asText().equals(held)) {
                heldView = run;
            } else if (run.get("run_id").asText().equals(clean.runId())) {
                cleanView = run;
            }
        }
        assertThat(heldView).as("the held run is listed").isNotNull();
        assertThat(heldView.get("publication").asText()).isEqualTo("HELD");
        assertThat(heldView.get("quarantine_rate").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(heldView.path("validation").path("counts").get("quarantined").asLong()).isEqualTo(2);
        assertThat(cleanView).as("the promoted run is listed").isNotNull();
        assertThat(cleanView.get("publication").asText()).isEqualTo("PROMOTED");
        assertThat(cleanView.get("table_version").asLong()).isEqualTo(promotion.log().latestVersion());
        long partitionRows = 0;
        for (JsonNode partition : cleanView.path("validation").path("partitions")) {
            partitionRows += partition.get("rows").asLong();
        }
        assertThat(partitionRows).as("the partitions hold the run's Silver rows").isPositive()
                .isEqualTo(cleanView.path("validation").path("counts").get("silver").asLong());

        JsonNode one = json(OperatorApi.as("quinn").get("/operator/runs/" + clean.runId()).then().statusCode(200).extract().asString());
        assertThat(one.get("publication").asText()).isEqualTo("PROMOTED");
        OperatorApi.as("quinn").get("/operator/runs/20260121T120000000Z-0000beef").then().statusCode(404);
        OperatorApi.as("quinn").get("/operator/runs/not-a-run").then().statusCode(404);
    }

    /** A run held by the audit gate (half its rows quarantined). */
    private String heldRun() throws Exception {
        RunValidated run = validatedRun(NOISY);
        RunPromotion.Decision decision = promotion.promote(run);
        assertThat(decision.status()).isEqualTo(RunPromotion.Status.HELD);
        return run.runId();
    }

    private RunValidated validatedRun(String csv) throws Exception {
        byte[] content = csv.replace("T1,", "T1" + System.nanoTime() + ",").getBytes(StandardCharsets.UTF_8);
        Instant now = Instant.now();
        RunId runId = RunId.newRun(now);
        LocalDate ingestDate = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Location bronze = layout.bronzeFile(ingestDate, runId, "t.csv");
        store.create(bronze, content, "text/csv");
        FileLanded landed = new FileLanded(runId.value(), "mortgages/transactions", "v1", FileLanded.KIND_INGEST, ingestDate,
                new Location(TestLake.LANDING_BUCKET, "incoming/t.csv"), bronze,
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), content.length, now, List.of());
        return new RunValidator(store, layout, Clock.systemUTC(), CommonIsoCurrencies.instance(), work, ValidationConfig.DEFAULT)
                .validate(landed);
    }

    private static JsonNode json(String body) throws Exception {
        return EventCodec.mapper().readTree(body);
    }
}
