package dev.mortgagelake.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.gold.GoldDataset;
import dev.mortgagelake.local.LakeClient;
import dev.mortgagelake.local.LandedFile;
import dev.mortgagelake.local.LocalLake;
import dev.mortgagelake.local.RunOutcome;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backfill end to end: a file is landed and promoted; an operator backfills its ingest date through
 * ingest-service's API; the backfill run is validated and promoted as a BACKFILL version that
 * supersedes the original run (its files leave the Silver snapshot but stay readable in storage);
 * Gold follows the new Silver version.
 */
class BackfillSystemTest {

    private static final String CSV = """
            TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp
            B-001,C-1,100.50,EUR,2026-01-02T10:00:00Z
            B-002,C-1,-20.00,EUR,2026-01-20T10:00:00Z
            B-003,C-2,7.00,USD,2026-02-03T10:00:00Z
            """;

    @TempDir
    static Path work;

    private static LocalLake lake;
    private static LakeClient client;
    private static ObjectStore store;

    @BeforeAll
    static void start() {
        Path root = Path.of(System.getProperty("lake.project.root", "..")).toAbsolutePath().normalize();
        lake = LocalLake.start(root, work.resolve(".lake"), Map.of());
        client = lake.client();
        store = client.store();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (lake != null) {
            lake.close();
        }
    }

    @Test
    void aBackfillOfTheIngestDateSupersedesTheOriginalRunAndGoldFollows() throws Exception {
        Path file = Files.writeString(work.resolve("backfill-me.csv"), CSV, StandardCharsets.UTF_8);
        LandedFile landed = client.land(file);
        RunOutcome original = client.awaitOutcome(landed, Duration.ofSeconds(90));
        assertThat(original.outcome()).as(original.detail()).isEqualTo("PROMOTED");
        List<String> originalFiles = filesOfRun(latestSnapshot(), original.runId());
        assertThat(originalFiles).isNotEmpty();

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        lake.endpoints().services().get("ingest-service").resolve("/operator/backfills"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("olivia:olivia-demo".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"dataset":"mortgages/transactions","from":"%s","to":"%s","reason":"system test: reprocess with current rules"}
                        """.formatted(today, today)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode runs = EventCodec.mapper().readTree(response.body()).get("runs");
        assertThat(runs).hasSize(1);
        String backfillRun = runs.get(0).get("run_id").asText();
        assertThat(backfillRun).endsWith("_BACKFILL");
        assertThat(runs.get(0).get("supersedes").toString()).contains(original.runId());

        JsonNode snapshot = awaitSnapshotWithRun(backfillRun, Duration.ofSeconds(90));
        assertThat(snapshot.get("operation").asText()).isEqualTo("BACKFILL");
        assertThat(snapshot.get("retired_run_ids").toString()).contains(original.runId());
        assertThat(filesOfRun(snapshot, original.runId())).isEmpty();
        assertThat(filesOfRun(snapshot, backfillRun)).hasSameSizeAs(originalFiles);
        // nothing is overwritten or deleted: the superseded run's files are still readable
        for (String key : originalFiles) {
            assertThat(store.head(new Location(lake.endpoints().buckets().silver(), key))).as(key).isPresent();
        }
        // Gold follows the new Silver version
        long silverVersion = snapshot.get("version").asLong();
        Location goldLatest = new Location(lake.endpoints().buckets().gold(),
                client.layout().goldTableRoot(GoldDataset.ACCOUNT_BALANCES.tableName(), GoldDataset.SCHEMA_VERSION) + "_LATEST.json");
        long goldSource = await("account_balances computed from Silver version " + silverVersion)
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (store.head(goldLatest).isEmpty()) {
                        return -1L;
                    }
                    JsonNode gold = read(new Location(goldLatest.bucket(), client.readTree(goldLatest).get("snapshot").asText()));
                    return gold.path("source").path("version").asLong(-1);
                }, source -> source >= silverVersion);
        assertThat(goldSource).as("account_balances computed from Silver version %d", silverVersion).isEqualTo(silverVersion);
    }

    private static JsonNode latestSnapshot() throws Exception {
        Location latest = new Location(lake.endpoints().buckets().silver(), "silver/mortgages/transactions/_table/schema_v=v1/_LATEST.json");
        return read(new Location(latest.bucket(), client.readTree(latest).get("snapshot").asText()));
    }

    private static JsonNode awaitSnapshotWithRun(String runId, Duration timeout) {
        return await("run " + runId + " in the latest Silver snapshot").atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(BackfillSystemTest::latestSnapshot, snapshot -> !filesOfRun(snapshot, runId).isEmpty());
    }

    private static List<String> filesOfRun(JsonNode snapshot, String runId) {
        List<String> keys = new ArrayList<>();
        snapshot.get("partitions").forEach(files -> files.forEach(f -> {
            if (runId.equals(f.get("run_id").asText())) {
                keys.add(f.get("key").asText());
            }
        }));
        return keys;
    }

    private static JsonNode read(Location location) throws Exception {
        return EventCodec.mapper().readTree(store.read(location));
    }
}
