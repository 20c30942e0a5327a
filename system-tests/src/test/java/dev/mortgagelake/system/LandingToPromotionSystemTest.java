package dev.mortgagelake.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.LakeEvents;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.gold.GoldDataset;
import dev.mortgagelake.ingest.ContentClaim;
import dev.mortgagelake.ingest.LandingIngest;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.local.LakeClient;
import dev.mortgagelake.local.LandedFile;
import dev.mortgagelake.local.LocalLake;
import dev.mortgagelake.local.RunOutcome;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectAlreadyExistsException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StoredObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole system: embedded SQS and S3 servers, the four services as their packaged fast-jars in
 * child JVMs, a real CSV.gz landed the way S3 would announce it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LandingToPromotionSystemTest {

    /** Valid rows: id, customer, amount, currency, timestamp as written, and the UTC instant it means. */
    private static final List<String[]> VALID = List.of(
            new String[] {"T-001", "C-1", "100.50", "EUR", "2025-12-31T23:59:59Z", "2025-12-31T23:59:59Z"},
            new String[] {"T-002", "C-1", "-0.01", "EUR", "2026-01-01T00:30:00+01:00", "2025-12-31T23:30:00Z"},
            new String[] {"T-003", "C-2", "1234567890123456.78", "USD", "2026-01-15T10:00:00Z", "2026-01-15T10:00:00Z"},
            new String[] {"T-004", "C-3", "7", "GBP", "2026-01-31T22:00:00-05:00", "2026-02-01T03:00:00Z"},
            new String[] {"T-005", "C-3", "-2500.99", "CHF", "2026-02-14T08:15:30.123456Z", "2026-02-14T08:15:30.123456Z"});

    /** Invalid rows, each as a raw CSV line, with the error codes it must be quarantined with. */
    private static final Map<String, Set<String>> INVALID = Map.of(
            "X-001,C-9,10.00,XYZ,2026-01-02T10:00:00Z", Set.of("CURRENCY_NOT_ALLOWED"),
            "X-002,C-9,10.00,eur,2026-01-02T10:00:00Z", Set.of("CURRENCY_FORMAT"),
            "X-003,C-9,10.123,EUR,2026-01-02T10:00:00Z", Set.of("AMOUNT_SCALE"),
            "X-004,C-9,1e5,EUR,2026-01-02T10:00:00Z", Set.of("AMOUNT_FORMAT"),
            "X-005,,10.00,EUR,2026-01-02T10:00:00Z", Set.of("REQUIRED"),
            "X-006,C-9,10.00,EUR,2026-01-02T10:00:00", Set.of("TIMESTAMP_NO_ZONE"),
            "X-007,C-9,10.00,EUR", Set.of("FIELD_COUNT"),
            "X-008,C-9,\"1,000.00\",USD,2026-01-02T10:00:00Z", Set.of("AMOUNT_FORMAT"));

    @TempDir
    static Path work;

    private static LocalLake lake;
    private static LakeClient client;
    private static ObjectStore store;
    private static LakeLayout layout;
    private static Path file;
    private static LandedFile landed;
    private static RunOutcome outcome;

    @BeforeAll
    static void startTheLakeAndLandAFile() throws Exception {
        Path root = Path.of(System.getProperty("lake.project.root", "..")).toAbsolutePath().normalize();
        // The file is 8 of 13 rows invalid on purpose; the audit gate (5% by default) would hold it.
        lake = LocalLake.start(root, work.resolve(".lake"), Map.of("lake.publish.audit.max-quarantine-rate", "1"));
        client = lake.client();
        store = client.store();
        layout = client.layout();
        file = writeGzipCsv(work.resolve("mortgages 2026-02.csv.gz"));
        landed = client.land(file);
        outcome = client.awaitOutcome(landed, Duration.ofSeconds(90));
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
    @Order(1)
    void theRunIsPromotedAndRowsInEqualRowsOut() {
        assertThat(outcome.outcome()).as(outcome.detail()).isEqualTo("PROMOTED");
        assertThat(outcome.rows()).containsEntry("read", (long) (VALID.size() + INVALID.size()))
                .containsEntry("silver", (long) VALID.size())
                .containsEntry("quarantined", (long) INVALID.size())
                .containsEntry("condemned", 0L);
    }

    @Test
    @Order(2)
    void bronzeHoldsTheLandedBytesAndCannotBeOverwritten() throws Exception {
        Location bronze = bronze();
        assertThat(bronze.key()).isEqualTo("bronze/mortgages/transactions/ingest_date=" + claim().ingestDate()
                + "/run_id=" + outcome.runId() + "/mortgages 2026-02.csv.gz");
        assertThat(store.read(bronze)).isEqualTo(Files.readAllBytes(file));
        assertThatThrownBy(() -> store.create(bronze, "overwrite".getBytes(StandardCharsets.UTF_8), "text/csv"))
                .isInstanceOf(ObjectAlreadyExistsException.class);
        assertThat(store.read(bronze)).isEqualTo(Files.readAllBytes(file));
    }

    @Test
    @Order(3)
    void silverHoldsExactlyTheValidRowsWithExactDecimalsAndUtcInstantsInTheirBusinessMonths() throws Exception {
        Path silver = download(layout.buckets().silver(), "silver/mortgages/transactions/year=");
        List<String> expected = new ArrayList<>();
        for (String[] row : VALID) {
            Instant utc = Instant.parse(row[5]);
            String month = utc.toString().substring(0, 7);
            expected.add(String.join("|", month.substring(0, 4), month.substring(5, 7), row[0], row[1],
                    new BigDecimal(row[2]).setScale(2).toPlainString(), row[3], Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, utc)),
                    outcome.runId()));
        }

        List<String> actual = query("""
                SELECT year || '|' || month || '|' || transaction_id || '|' || customer_id || '|' ||
                       CAST(transaction_amount AS VARCHAR) || '|' || currency || '|' ||
                       epoch_us(transaction_timestamp) || '|' || run_id
                FROM read_parquet('%s/**/*.parquet', hive_partitioning = true)
                ORDER BY transaction_id""".formatted(silver));

        assertThat(actual).containsExactlyElementsOf(expected.stream().sorted((a, b) -> a.split("\\|")[2].compareTo(b.split("\\|")[2])).toList());
        assertThat(query("SELECT DISTINCT typeof(transaction_amount) || ' ' || typeof(transaction_timestamp) FROM read_parquet('%s/**/*.parquet')"
                .formatted(silver))).containsExactly("DECIMAL(18,2) TIMESTAMP WITH TIME ZONE");
    }

    @Test
    @Order(4)
    void everyInvalidRowIsInQuarantineWithItsOriginalValuesAndItsSpecificReasons() throws Exception {
        RunValidated run = validation();
        Path quarantine = work.resolve("quarantine.parquet");
        store.download(run.quarantine().location(), quarantine);

        Map<String, String> codesById = new TreeMap<>();
        Map<String, String> originalById = new HashMap<>();
        for (String line : query("""
                SELECT transaction_id || '|' || array_to_string(error_codes, ',') || '|' || coalesce(transaction_amount, '<null>')
                       || '|' || coalesce(currency, '<null>') || '|' || attempt_count || '|' || len(retry_history)
                       || '|' || (validation_error <> '')
                FROM read_parquet('%s')""".formatted(quarantine))) {
            String[] parts = line.split("\\|", -1);
            codesById.put(parts[0], parts[1]);
            originalById.put(parts[0], parts[2] + "|" + parts[3] + "|" + parts[4] + "|" + parts[5] + "|" + parts[6]);
        }

        Map<String, String> expectedCodes = new TreeMap<>();
        INVALID.forEach((line, codes) -> expectedCodes.put(line.substring(0, 5), String.join(",", new java.util.TreeSet<>(codes))));
        codesById.replaceAll((id, codes) -> String.join(",", new java.util.TreeSet<>(List.of(codes.split(",")))));
        assertThat(codesById).isEqualTo(expectedCodes);
        // original values kept verbatim: no trimming, no rounding, no case folding
        assertThat(originalById.get("X-002")).isEqualTo("10.00|eur|1|0|true");
        assertThat(originalById.get("X-003")).isEqualTo("10.123|EUR|1|0|true");
        assertThat(originalById.get("X-008")).isEqualTo("1,000.00|USD|1|0|true");
        assertThat(originalById.get("X-007")).isEqualTo("10.00|EUR|1|0|true");
    }

    @Test
    @Order(5)
    void manifestsEventAndLatestPointerAgree() throws Exception {
        RunValidated run = validation();
        long partitionRows = 0;
        for (RunValidated.Partition partition : run.partitions()) {
            JsonNode manifest = EventCodec.mapper().readTree(store.read(partition.manifest()));
            assertThat(manifest.get("run_id").asText()).isEqualTo(outcome.runId());
            assertThat(manifest.get("rows").asLong()).isEqualTo(partition.rows());
            assertThat(manifest.get("run_totals").get("rows_read").asLong()).isEqualTo(run.counts().rowsRead());
            for (JsonNode f : manifest.get("files")) {
                StoredObject object = store.head(new Location(layout.buckets().silver(), f.get("key").asText())).orElseThrow();
                assertThat(object.size()).isEqualTo(f.get("size_bytes").asLong());
            }
            assertThat(store.head(partition.manifest().sibling("_SUCCESS"))).isPresent();
            partitionRows += partition.rows();
        }
        assertThat(partitionRows).isEqualTo(run.counts().silver());
        assertThat(run.partitions()).extracting(RunValidated.Partition::yearMonth).containsExactly("2025-12", "2026-01", "2026-02");
        assertThat(run.counts().balanced()).isTrue();

        JsonNode latest = outcome.latest();
        assertThat(latest.get("run_id").asText()).isEqualTo(outcome.runId());
        assertThat(latest.get("schema_version").asText()).isEqualTo("v1");
        assertThat(latest.get("table_version").asLong()).isEqualTo(outcome.tableVersion());
        JsonNode snapshot = EventCodec.mapper().readTree(store.read(new Location(layout.buckets().silver(), latest.get("snapshot").asText())));
        assertThat(snapshot.get("run_ids").toString()).contains(outcome.runId());
    }

    @Test
    @Order(6)
    void everyEventDeliveredTwiceAndTheFileLandedTwiceLeaveTheLakeAsIfDeliveredOnce() throws Exception {
        Map<String, String> before = lakeObjects();
        RunValidated run = validation();

        client.notifyLanding(store.head(landed.location()).orElseThrow());
        send(lake.endpoints().queues().fileLanded(), EventCodec.encode(LakeEvents.fileLanded(LandingIngest.fileLandedOf(claim()))));
        send(lake.endpoints().queues().runValidatedForPublish(), EventCodec.encode(LakeEvents.runValidated(run)));
        send(lake.endpoints().queues().runValidatedForRetry(), EventCodec.encode(LakeEvents.runValidated(run)));
        LandedFile copy = client.land(file, "incoming/resent/mortgages 2026-02 (copy).csv.gz");
        RunOutcome duplicate = client.awaitOutcome(copy, Duration.ofSeconds(60));
        awaitQueuesDrained();

        assertThat(duplicate.outcome()).isEqualTo("DUPLICATE_CONTENT");
        assertThat(duplicate.runId()).isEqualTo(outcome.runId());
        Map<String, String> after = lakeObjects();
        Map<String, String> added = new TreeMap<>(after);
        before.keySet().forEach(added::remove);
        // the only new objects: the copy in the landing zone, its handled marker and the duplicate-landing record
        assertThat(added.keySet()).allSatisfy(key -> assertThat(key).matches(
                ".*(incoming/resent/.*|/_ingest/mortgages/transactions/(landings|duplicate-landings)/.*)"));
        assertThat(added.keySet()).anyMatch(key -> key.contains("/duplicate-landings/sha256=" + landed.sha256() + "/"));
        before.forEach((key, etag) -> assertThat(after).as(key).containsEntry(key, etag));
    }

    @Test
    @Order(7)
    void goldIsPublishedForTheThreeDatasetsAndAccountBalancesEqualAnSqlComputationOverSilver() throws Exception {
        Path goldDir = Files.createDirectories(work.resolve("download-gold"));
        for (GoldDataset dataset : GoldDataset.values()) {
            String root = layout.goldTableRoot(dataset.tableName(), GoldDataset.SCHEMA_VERSION);
            JsonNode latest = EventCodec.mapper().readTree(store.read(new Location(layout.buckets().gold(), root + "_LATEST.json")));
            assertThat(latest.get("table_root").asText()).isEqualTo(root);
        }
        String current = layout.goldCurrentPrefix(GoldDataset.ACCOUNT_BALANCES.tableName(), GoldDataset.SCHEMA_VERSION);
        for (StoredObject object : store.list(layout.buckets().gold(), current)) {
            Path target = goldDir.resolve(object.location().key());
            Files.createDirectories(target.getParent());
            store.download(object.location(), target);
        }
        Path silver = download(layout.buckets().silver(), "silver/mortgages/transactions/year=");

        // Gold account_balances: per account and currency, the closing balance of every month from its first transaction to the last Silver
        // month (every month of this file has transactions, so the months are those of the Silver rows)
        List<String> expected = query("""
                WITH tx AS (SELECT customer_id AS a, currency AS c, transaction_amount AS amt, year || '-' || month AS m
                            FROM read_parquet('%s/**/*.parquet', hive_partitioning = true)),
                     keys AS (SELECT a, c, min(m) AS first_month FROM tx GROUP BY a, c)
                SELECT concat_ws('|', mo.m, k.a, k.c,
                       CAST((SELECT sum(amt) FROM tx WHERE tx.a = k.a AND tx.c = k.c AND tx.m <= mo.m) AS DECIMAL(18,2)))
                FROM keys k JOIN (SELECT DISTINCT m FROM tx) mo ON mo.m >= k.first_month ORDER BY 1""".formatted(silver));
        List<String> gold = query("""
                SELECT concat_ws('|', as_of_month, account_id, currency, closing_balance)
                FROM read_parquet('%s/**/*.parquet', hive_partitioning = true) ORDER BY 1""".formatted(goldDir.resolve(current)));

        assertThat(gold).hasSize(7).isEqualTo(expected);
    }

    private static void awaitQueuesDrained() {
        var sqs = dev.mortgagelake.aws.LakeAwsClients.sqs(lake.endpoints().sqs(), lake.endpoints().region(),
                lake.endpoints().accessKeyId(), lake.endpoints().secretAccessKey());
        try (sqs) {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            for (String queue : List.of(lake.endpoints().queues().landing(), lake.endpoints().queues().fileLanded(),
                    lake.endpoints().queues().runValidatedForPublish(), lake.endpoints().queues().runValidatedForRetry())) {
                String url = sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
                // one 60 s budget for all four queues, as before
                await("queue " + queue + " drained").atMost(Duration.between(Instant.now(), deadline).plusMillis(1)).until(() -> {
                    var attributes = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNamesWithStrings(
                            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
                    return "0".equals(attributes.get("ApproximateNumberOfMessages"))
                            && "0".equals(attributes.get("ApproximateNumberOfMessagesNotVisible"));
                });
            }
        }
    }

    private static void send(String queue, String body) {
        var endpoints = lake.endpoints();
        try (var sqs = dev.mortgagelake.aws.LakeAwsClients.sqs(endpoints.sqs(), endpoints.region(), endpoints.accessKeyId(),
                endpoints.secretAccessKey())) {
            String url = sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
            sqs.sendMessage(r -> r.queueUrl(url).messageBody(body));
        }
    }

    /** Every object of every layer except the landing zone, with its ETag. */
    private static Map<String, String> lakeObjects() {
        Map<String, String> objects = new TreeMap<>();
        for (String bucket : layout.buckets().distinct()) {
            for (StoredObject object : store.list(bucket, "")) {
                objects.put(object.location().toString(), object.etag());
            }
        }
        return objects;
    }

    private static ContentClaim claim() throws Exception {
        return EventCodec.mapper().readValue(store.read(layout.contentClaim(landed.sha256())), ContentClaim.class);
    }

    private static Location bronze() throws Exception {
        return claim().bronze();
    }

    private static RunValidated validation() throws Exception {
        return EventCodec.mapper().readValue(store.read(layout.validationRecord(RunId.of(outcome.runId()))), RunValidated.class);
    }

    private static Path download(String bucket, String prefix) throws Exception {
        Path dir = Files.createDirectories(work.resolve("download-" + bucket));
        for (StoredObject object : store.list(bucket, prefix)) {
            if (!object.location().key().contains(outcome.runId()) || !object.location().key().endsWith(".parquet")) {
                continue;
            }
            Path target = dir.resolve(object.location().key());
            Files.createDirectories(target.getParent());
            store.download(object.location(), target);
        }
        return dir;
    }

    private static List<String> query(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<String> result = new ArrayList<>();
            while (rows.next()) {
                result.add(rows.getString(1));
            }
            return result;
        }
    }

    private static Path writeGzipCsv(Path target) throws Exception {
        StringBuilder csv = new StringBuilder("TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp\r\n");
        List<String> lines = new ArrayList<>();
        VALID.forEach(row -> lines.add(String.join(",", row[0], row[1], row[2], row[3], row[4])));
        lines.addAll(new TreeMap<>(INVALID).keySet());
        java.util.Collections.shuffle(lines, new java.util.Random(7));
        lines.forEach(line -> csv.append(line).append("\r\n"));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target))) {
            out.write(csv.toString().getBytes(StandardCharsets.UTF_8));
        }
        return target;
    }
}
