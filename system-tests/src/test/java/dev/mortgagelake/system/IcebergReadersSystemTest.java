package dev.mortgagelake.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.RunPromoted;
import dev.mortgagelake.gold.GoldDataset;
import dev.mortgagelake.local.LakeClient;
import dev.mortgagelake.local.LandedFile;
import dev.mortgagelake.local.LocalLake;
import dev.mortgagelake.local.RunOutcome;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.publish.table.TableVersionLog;
import dev.mortgagelake.gold.GoldPublisher;
import dev.mortgagelake.storage.Location;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The published tables read by an engine nobody here wrote: Apache Spark with Iceberg's runtime,
 * through the embedded catalog and the S3 endpoint, while the real services ingest, hold, reject,
 * backfill and roll back. After every step Spark's Silver count and sum equal the lake's published
 * version (computed from the version log and the files' source rows), a backfill does not double a
 * month, and time travel to every earlier Iceberg snapshot gives exactly that lake version's rows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IcebergReadersSystemTest {

    private static final String SILVER = "lake.mortgage_lake.silver_transactions";
    private static final String HEADER = "TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp\n";

    @TempDir
    static Path work;

    private static LocalLake lake;
    private static LakeClient client;
    private static SparkSql spark;

    // Shared by the test methods as the lake is (JUnit makes one instance per method): a later method's
    // published versions still hold the runs an earlier method landed.
    /** Amounts of every landed source file by month (a run's file in a partition holds exactly these rows). */
    private static final Map<String, Map<String, BigDecimal>> sumsBySource = new HashMap<>();
    private static final Map<String, Map<String, Long>> rowsBySource = new HashMap<>();
    /** Runs whose landing was promoted (their backfills are promoted too; the held run's is held again). */
    private static final java.util.Set<String> promotedRuns = new java.util.HashSet<>();
    /** Run id to the source file whose rows it wrote (a backfill run: its original's). */
    private static final Map<String, String> sourceOfRun = new HashMap<>();

    @BeforeAll
    static void start() {
        Path root = Path.of(System.getProperty("lake.project.root", "..")).toAbsolutePath().normalize();
        lake = LocalLake.start(root, work.resolve(".lake"), Map.of());
        client = lake.client();
        spark = SparkSql.start(root, lake.endpoints().iceberg().properties(), work.resolve(".lake/logs/spark.log"));
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.close();
        }
        if (client != null) {
            client.close();
        }
        if (lake != null) {
            lake.close();
        }
    }

    @Test
    @Order(1)
    void sparkReadsExactlyThePublishedSilverThroughIngestHoldRejectBackfillAndRollback() throws Exception {
        TableVersionLog log = new TableVersionLog(client.store(), GoldPublisher.silverTable(client.layout()));

        RunOutcome first = land("first", rows("F", "2025-01", 12, "10.05"), rows("F", "2025-02", 8, "-3.10"));
        assertThat(first.outcome()).as(first.detail()).isEqualTo("PROMOTED");
        assertSparkSeesPublished(log);

        RunOutcome second = land("second", rows("S", "2025-03", 15, "7.77"));
        assertThat(second.outcome()).as(second.detail()).isEqualTo("PROMOTED");
        assertSparkSeesPublished(log);

        // a file with 50% bad rows is held by the audit gate, then rejected: Spark never sees it
        String held = HEADER + rows("H", "2025-03", 5, "1.00") + "H-bad-1,C-9,abc,EUR,2025-03-01T00:00:00Z\n"
                + "H-bad-2,C-9,abc,EUR,2025-03-01T00:00:00Z\nH-bad-3,C-9,abc,EUR,2025-03-01T00:00:00Z\n"
                + "H-bad-4,C-9,abc,EUR,2025-03-01T00:00:00Z\nH-bad-5,C-9,abc,EUR,2025-03-01T00:00:00Z\n";
        RunOutcome heldRun = landRaw("held", held);
        assertThat(heldRun.outcome()).as(heldRun.detail()).isEqualTo("HELD");
        assertSparkSeesPublished(log);
        HttpResponse<String> rejected = post("publish-service", "/operator/held-runs/" + heldRun.runId() + "/reject", "fiona",
                "{\"reason\":\"half the file is unreadable\"}");
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
        assertSparkSeesPublished(log);

        // a backfill of today's ingest date re-writes both promoted runs and supersedes them: no month is doubled
        BigDecimal sumBeforeBackfill = sparkSum(SILVER);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        HttpResponse<String> backfill = post("ingest-service", "/operator/backfills", "olivia", """
                {"dataset":"mortgages/transactions","from":"%s","to":"%s","reason":"system test: re-run with current rules"}
                """.formatted(today, today));
        assertThat(backfill.statusCode()).as(backfill.body()).isEqualTo(202);
        List<String> promotedBackfills = new ArrayList<>();
        for (JsonNode run : EventCodec.mapper().readTree(backfill.body()).get("runs")) {
            String runId = run.get("run_id").asText();
            String original = run.get("supersedes").get(0).asText();
            if (promotedRuns.contains(original)) {
                sourceOfRun.put(runId, sourceOfRun.get(original));
                promotedBackfills.add(runId);
            }
        }
        assertThat(promotedBackfills).hasSize(2);
        for (String runId : promotedBackfills) {
            assertThat(client.awaitPromoted(runId, Duration.ofSeconds(180))).as("backfill run %s promoted", runId).isPresent();
        }
        assertSparkSeesPublished(log);
        assertThat(sparkSum(SILVER)).isEqualByComparingTo(sumBeforeBackfill);

        // a finance controller rolls Silver back one version
        long latest = log.latestVersion();
        HttpResponse<String> rollback = post("publish-service", "/operator/tables/silver.mortgages.transactions/rollback", "fiona",
                "{\"to_version\":%d,\"expected_version\":%d,\"reason\":\"system test rollback\"}".formatted(latest - 1, latest));
        assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(200);
        assertSparkSeesPublished(log);

        // time travel: every lake version is one Iceberg snapshot with exactly that version's rows
        Map<Long, String> snapshotOfVersion = new TreeMap<>();
        for (String row : spark.query("SELECT summary['lake.table-version'], snapshot_id FROM " + SILVER + ".snapshots")) {
            String[] parts = row.split("\\|");
            assertThat(snapshotOfVersion.put(Long.parseLong(parts[0]), parts[1])).as("one snapshot per lake version").isNull();
        }
        assertThat(snapshotOfVersion.keySet()).containsExactlyElementsOf(versions(log.latestVersion()));
        for (Map.Entry<Long, String> entry : snapshotOfVersion.entrySet()) {
            TableSnapshot version = log.read(entry.getKey());
            String asOf = SILVER + " VERSION AS OF " + entry.getValue();
            assertThat(Long.parseLong(spark.value("SELECT count(*) FROM " + asOf))).as("rows of version %d", entry.getKey())
                    .isEqualTo(version.summary().totalRows());
            assertThat(sparkSum(asOf)).as("sum of version %d", entry.getKey()).isEqualByComparingTo(expectedSum(version));
        }

        // Gold: each Iceberg table holds its lake table's current version
        for (GoldDataset dataset : GoldDataset.values()) {
            TableVersionLog gold = new TableVersionLog(client.store(), new dev.mortgagelake.publish.table.TableLocation(
                    lake.endpoints().buckets().gold(), client.layout().goldTableRoot(dataset.tableName(), GoldDataset.SCHEMA_VERSION)));
            TableSnapshot current = gold.current();
            String table = "lake.mortgage_lake.gold_" + dataset.tableName();
            assertThat(spark.value("SELECT max(summary['lake.table-version']) FROM " + table + ".snapshots"))
                    .isEqualTo(Long.toString(current.version()));
            assertThat(Long.parseLong(spark.value("SELECT count(*) FROM " + table))).isEqualTo(current.summary().totalRows());
        }
        // monthly_reports' net amount of March equals the sum of March in the published Silver
        BigDecimal marchSilver = new BigDecimal(spark.value("SELECT coalesce(sum(transaction_amount), 0) FROM " + SILVER
                + " WHERE transaction_timestamp >= TIMESTAMP '2025-03-01 00:00:00 UTC' AND transaction_timestamp < TIMESTAMP '2025-04-01 00:00:00 UTC'"));
        BigDecimal marchGold = new BigDecimal(spark.value("SELECT coalesce(sum(net_amount), 0) FROM lake.mortgage_lake.gold_monthly_reports"
                + " WHERE as_of_month = '2025-03'"));
        assertThat(marchGold).isEqualByComparingTo(marchSilver);
    }

    /**
     * publish-service halted (no shutdown hooks, as a SIGKILL) between the lake's commit and the Iceberg
     * commit, then between the Iceberg commit and _LATEST.json: after a plain restart the run is
     * promoted, the lake's log, the Iceberg table and _LATEST.json agree, and no version has a second
     * snapshot.
     */
    @Test
    @Order(2)
    void aPublisherKilledAroundTheIcebergCommitLeavesLogIcebergAndPointerAgreeingAfterRestart() throws Exception {
        TableVersionLog log = new TableVersionLog(client.store(), GoldPublisher.silverTable(client.layout()));
        int file = 0;
        for (String step : List.of("before-commit", "after-commit")) {
            long before = log.latestVersion() == 0 ? 0 : awaitPointerAtLatest(log).version();
            // a short visibility timeout so the halted receive is redelivered soon after the restart
            lake.restart("publish-service", Map.of("lake.publish.iceberg.crash-at", step,
                    "mp.messaging.incoming.run-validated.visibility-timeout", "15"));
            String name = "crash-" + step;
            Path csv = Files.writeString(work.resolve(name + ".csv"), HEADER + rows("K" + file++, "2025-04", 10, "2.50"));
            sumsBySource.put(name, Map.of("2025-04", new BigDecimal("137.50")));
            rowsBySource.put(name, Map.of("2025-04", 10L));
            LandedFile landed = client.land(csv);

            assertThat(lake.service("publish-service").awaitExit(Duration.ofSeconds(180))).as("publish-service halted %s", step)
                    .isEqualTo(137);
            long committed = log.latestVersion();
            assertThat(committed).as("the lake's version was committed before the halt").isEqualTo(before + 1);
            long pointed = client.store().head(log.table().latestPointer()).isEmpty() ? 0
                    : client.readTree(log.table().latestPointer()).get("table_version").asLong();
            assertThat(pointed).as("_LATEST.json has not moved").isEqualTo(before);
            List<String> snapshotsOfCommitted = spark.query("SELECT snapshot_id FROM " + SILVER
                    + ".snapshots WHERE summary['lake.table-version'] = '" + committed + "'");
            assertThat(snapshotsOfCommitted).as("Iceberg snapshots of version %d after halting %s", committed, step)
                    .hasSize(step.equals("before-commit") ? 0 : 1);

            lake.restart("publish-service");
            RunOutcome outcome = client.awaitOutcome(landed, Duration.ofSeconds(180));
            assertThat(outcome.outcome()).as(outcome.detail()).isEqualTo("PROMOTED");
            sourceOfRun.put(outcome.runId(), name);
            assertThat(log.latestVersion()).as("the redelivered run made no second lake version").isEqualTo(committed);
            assertSparkSeesPublished(log);
            Map<String, Long> snapshotsPerVersion = new TreeMap<>();
            for (String version : spark.query("SELECT summary['lake.table-version'] FROM " + SILVER + ".snapshots")) {
                snapshotsPerVersion.merge(version, 1L, Long::sum);
            }
            assertThat(snapshotsPerVersion.values()).as("snapshots per lake version: %s", snapshotsPerVersion).containsOnly(1L);
            assertThat(snapshotsPerVersion).hasSize((int) committed);
        }
    }

    /** Spark's Silver count and sum equal the lake's current version, and _LATEST.json names Spark's current snapshot. */
    private void assertSparkSeesPublished(TableVersionLog log) throws Exception {
        TableSnapshot published = awaitPointerAtLatest(log);
        assertThat(Long.parseLong(spark.value("SELECT count(*) FROM " + SILVER))).isEqualTo(published.summary().totalRows());
        assertThat(sparkSum(SILVER)).isEqualByComparingTo(expectedSum(published));
        JsonNode pointer = client.readTree(log.table().latestPointer());
        assertThat(pointer.get("iceberg_snapshot_id").asText())
                .isEqualTo(spark.value("SELECT snapshot_id FROM " + SILVER + ".snapshots WHERE summary['lake.table-version'] = '"
                        + published.version() + "'"));
    }

    /** The lake's newest version once _LATEST.json names it (the Iceberg commit happens before the pointer moves). */
    private static TableSnapshot awaitPointerAtLatest(TableVersionLog log) {
        long latest = await("_LATEST.json naming the newest version").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    long newest = log.latestVersion();
                    Location pointer = log.table().latestPointer();
                    boolean named = client.store().head(pointer).isPresent()
                            && client.readTree(pointer).get("table_version").asLong() == newest;
                    return named ? newest : -1L;
                }, version -> version >= 0);
        return log.read(latest);
    }

    private BigDecimal expectedSum(TableSnapshot version) {
        BigDecimal sum = BigDecimal.ZERO;
        for (Map.Entry<String, List<DataFile>> partition : version.partitions().entrySet()) {
            for (DataFile file : partition.getValue()) {
                String source = sourceOfRun.get(file.runId());
                assertThat(source).as("source of run %s", file.runId()).isNotNull();
                assertThat(file.rows()).isEqualTo(rowsBySource.get(source).get(partition.getKey()));
                sum = sum.add(sumsBySource.get(source).get(partition.getKey()));
            }
        }
        return sum;
    }

    private static BigDecimal sparkSum(String table) {
        return new BigDecimal(spark.value("SELECT coalesce(sum(transaction_amount), 0) FROM " + table));
    }

    private static List<Long> versions(long latest) {
        List<Long> versions = new ArrayList<>();
        for (long v = 1; v <= latest; v++) {
            versions.add(v);
        }
        return versions;
    }

    /** {@code count} valid rows in {@code month}: amounts {@code step}, 2*step, ... */
    private String rows(String prefix, String month, int count, String step) {
        StringBuilder csv = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            BigDecimal amount = new BigDecimal(step).multiply(BigDecimal.valueOf(i));
            csv.append(prefix).append('-').append(month).append('-').append(i).append(",C-").append(i % 4).append(',')
                    .append(amount.toPlainString()).append(",EUR,").append(month).append(String.format("-%02dT10:00:00Z", 1 + i % 27))
                    .append('\n');
        }
        return csv.toString();
    }

    private RunOutcome land(String name, String... rowBlocks) throws Exception {
        return landRaw(name, HEADER + String.join("", rowBlocks));
    }

    private RunOutcome landRaw(String name, String csv) throws Exception {
        Path file = Files.writeString(work.resolve(name + ".csv"), csv, StandardCharsets.UTF_8);
        Map<String, BigDecimal> sums = new TreeMap<>();
        Map<String, Long> counts = new TreeMap<>();
        csv.lines().skip(1).forEach(line -> {
            String[] fields = line.split(",");
            try {
                BigDecimal amount = new BigDecimal(fields[2]);
                String month = fields[4].substring(0, 7);
                sums.merge(month, amount, BigDecimal::add);
                counts.merge(month, 1L, Long::sum);
            } catch (NumberFormatException e) {
                // an invalid row: quarantined, never in Silver
            }
        });
        sumsBySource.put(name, sums);
        rowsBySource.put(name, counts);
        LandedFile landed = client.land(file);
        RunOutcome outcome = client.awaitOutcome(landed, Duration.ofSeconds(180));
        sourceOfRun.put(outcome.runId(), name);
        if ("PROMOTED".equals(outcome.outcome())) {
            promotedRuns.add(outcome.runId());
        }
        return outcome;
    }

    private static HttpResponse<String> post(String service, String path, String user, String body) throws Exception {
        URI uri = lake.endpoints().services().get(service).resolve(path);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + user + "-demo")
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
