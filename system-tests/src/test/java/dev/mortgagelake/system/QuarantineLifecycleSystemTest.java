package dev.mortgagelake.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortgagelake.retry.LedgerState;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.gold.GoldDataset;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.local.LakeClient;
import dev.mortgagelake.local.LandedFile;
import dev.mortgagelake.local.LocalLake;
import dev.mortgagelake.local.RunOutcome;
import dev.mortgagelake.retry.BackoffSchedule;
import dev.mortgagelake.retry.LedgerBatch;
import dev.mortgagelake.retry.QuarantineLedger;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectNotFoundException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StoredObject;
import dev.mortgagelake.validation.reference.CurrencyAllowListDocument;
import org.awaitility.Awaitility;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quarantine lifecycle over the whole system (embedded SQS and S3, the four services as child
 * JVMs): one file whose rows fail for different reasons, followed through retries, condemnation,
 * a restart of retry-service with a lost {@code retry-due}, and a four-eyes extra attempt. The
 * conservation check must hold after every step.
 *
 * <p>The file (10 rows): 4 valid; 2 in MXN and 2 in ZAR (currencies not on the allow-list yet);
 * 1 with three decimals (can never pass); 1 exact duplicate of a valid row (condemned at once).
 */
class QuarantineLifecycleSystemTest {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path work;

    private static LocalLake lake;
    private static LakeClient client;
    private static ObjectStore store;
    private static LakeLayout layout;
    private static QuarantineLedger ledger;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        Path root = Path.of(System.getProperty("lake.project.root", "..")).toAbsolutePath().normalize();
        lake = LocalLake.start(root, work.resolve(".lake"), Map.of(
                "lake.publish.audit.max-quarantine-rate", "1",
                // attempt 2 is due 30 s after validation: time enough, on a loaded machine, for the test to change
                // the reference data first (with 10 s, attempt 2 once ran before MXN was added)
                "lake.retry.backoff", "30s,4s",
                "lake.retry.sweep.every", "1s",
                "lake.retry.sweep.redispatch-after", "8s",
                "lake.retry.backlog.every", "2s"));
        client = lake.client();
        store = client.store();
        layout = client.layout();
        ledger = new QuarantineLedger(store, layout, BackoffSchedule.productionDefault());
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
    void rowsAreRetriedCondemnedAndReleasedByFourEyesWhileEveryRowStaysAccountedFor() throws Exception {
        Path file = work.resolve("lifecycle.csv");
        Files.writeString(file, String.join("\n",
                "TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp",
                "L-001,LC-1,100.00,EUR,2026-03-01T10:00:00Z",
                "L-002,LC-1,-20.00,EUR,2026-03-02T10:00:00Z",
                "L-003,LC-2,55.55,USD,2026-03-03T10:00:00Z",
                "L-004,LC-2,10.00,USD,2026-03-04T10:00:00Z",
                "L-101,LC-3,300.00,MXN,2026-03-05T10:00:00Z",
                "L-102,LC-3,-50.25,MXN,2026-03-06T10:00:00Z",
                "L-201,LC-4,70.00,ZAR,2026-03-07T10:00:00Z",
                "L-202,LC-4,30.00,ZAR,2026-03-08T10:00:00Z",
                "L-301,LC-5,10.123,EUR,2026-03-09T10:00:00Z",
                "L-001,LC-1,100.00,EUR,2026-03-01T10:00:00Z") + "\n", StandardCharsets.UTF_8);

        LandedFile landed = client.land(file);
        RunOutcome first = client.awaitOutcome(landed, WAIT);
        assertThat(first.outcome()).as(first.detail()).isEqualTo("PROMOTED");
        // The quality team adds MXN to the reference data; attempt 2 is due 30 s after validation.
        addCurrency("MXN");
        assertThat(first.rows()).containsEntry("read", 10L).containsEntry("silver", 4L).containsEntry("quarantined", 5L)
                .containsEntry("condemned", 1L);
        String batch1 = first.runId();
        LedgerBatch opened = await("the first batch in the ledger", () -> ledger.batch(QuarantineLedger.BATCHES, batch1));
        assertThat(opened.state()).isEqualTo(LedgerState.PENDING_RETRY);
        // Exact duplicates are condemned at once, never retried.
        LedgerBatch duplicates = await("the condemned duplicate", () -> ledger.batch(QuarantineLedger.CONDEMNED, batch1));
        assertThat(duplicates.entry().errorCounts()).containsEntry("DUPLICATE_EXACT", 1L);
        assertConservation(10, 4, 5, 1);

        // Lose the delayed retry-due and restart retry-service before the attempt: the ledger's sweep must send it again.
        purgeRetryDueQueue();
        lake.restart("retry-service");

        // Attempt 2: the MXN rows pass into Silver as a retry run; the ZAR and three-decimal rows fail again.
        LedgerBatch retired1 = await("attempt 2", () -> ledger.batch(QuarantineLedger.BATCHES, batch1).filter(LedgerBatch::terminal));
        String retry2 = retired1.retiredBy().orElseThrow().retryRunId();
        RunValidated run2 = validation(retry2);
        assertThat(run2.runKind()).isEqualTo(RunValidated.KIND_RETRY);
        assertThat(run2.retry().batchRunId()).isEqualTo(batch1);
        assertThat(run2.retry().attempt()).isEqualTo(2);
        assertThat(run2.counts()).isEqualTo(new RunValidated.Counts(5, 2, 3, 0));
        assertThat(client.awaitPromoted(retry2, WAIT)).as("the retry run is promoted like any run").isPresent();
        assertThat(silverRows(retry2)).containsExactlyInAnyOrder("L-101|LC-3|300.00|MXN", "L-102|LC-3|-50.25|MXN");
        List<String> lineage = query("""
                SELECT transaction_id || '|' || attempt_count || '|' || len(retry_history) || '|' || retry_history[1].run_id
                       || '|' || array_to_string(retry_history[1].error_codes, ',')
                FROM read_parquet('%s') ORDER BY 1""".formatted(download(run2.retry().retriedRows())));
        assertThat(lineage).containsExactly("L-101|2|1|" + batch1 + "|CURRENCY_NOT_ALLOWED", "L-102|2|1|" + batch1 + "|CURRENCY_NOT_ALLOWED");
        awaitGoldMonthlyReport("2026-03", "MXN", 2);
        // Attempt 3 is due 4 s after attempt 2: on a slow host it may already have condemned the 3 rows.
        assertConservationEither(new long[] {10, 6, 3, 1}, new long[] {10, 6, 0, 4});

        // Attempt 3 is the last: the rows that still fail are condemned (MAX_ATTEMPTS) with their history.
        LedgerBatch retired2 = await("attempt 3", () -> ledger.batch(QuarantineLedger.BATCHES, retry2).filter(LedgerBatch::terminal));
        String retry3 = retired2.retiredBy().orElseThrow().retryRunId();
        RunValidated run3 = validation(retry3);
        assertThat(run3.counts()).isEqualTo(new RunValidated.Counts(3, 0, 0, 3));
        assertThat(run3.condemned().reasonCounts()).isEqualTo(Map.of("MAX_ATTEMPTS", 3L));
        assertThat(run3.condemned().location().key())
                .isEqualTo("quarantine/mortgages/transactions/condemned/ingest_date=" + run3.ingestDate() + "/run_id=" + retry3
                        + "/condemned_rows.parquet");
        List<String> condemned = query("""
                SELECT transaction_id || '|' || attempt_count || '|' || len(retry_history)
                FROM read_parquet('%s') ORDER BY 1""".formatted(download(run3.condemned().location())));
        assertThat(condemned).containsExactly("L-201|3|2", "L-202|3|2", "L-301|3|2");
        LedgerBatch maxAttempts = await("the condemned batch", () -> ledger.batch(QuarantineLedger.CONDEMNED, retry3));
        assertThat(maxAttempts.attemptCount()).isEqualTo(3);
        assertConservation(10, 6, 0, 4);

        // Four eyes: ZAR is added; sam (analyst and approver) asks for an extra attempt and cannot approve it himself.
        addCurrency("ZAR");
        HttpResponse<String> requested = call("sam", "POST", "/quarantine/condemned/" + retry3 + "/extra-attempt",
                "{\"reason\": \"ZAR is on the allow-list now\"}");
        assertThat(requested.statusCode()).as(requested.body()).isEqualTo(201);
        String requestId = EventCodec.mapper().readTree(requested.body()).path("request").path("request_id").asText();
        HttpResponse<String> own = call("sam", "POST", "/quarantine/requests/" + requestId + "/approve", "{\"reason\": \"ok\"}");
        assertThat(own.statusCode()).isEqualTo(403);
        assertThat(own.body()).contains("four-eyes");
        assertThat(ledger.batch(QuarantineLedger.CONDEMNED, retry3).orElseThrow().state()).isEqualTo(LedgerState.REPROCESSING_REQUESTED);
        HttpResponse<String> approved = call("rita", "POST", "/quarantine/requests/" + requestId + "/approve",
                "{\"reason\": \"agreed\"}");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);

        // Attempt 4: the ZAR rows pass; the three-decimal row is condemned again.
        LedgerBatch reprocessed = await("the extra attempt",
                () -> ledger.batch(QuarantineLedger.CONDEMNED, retry3).filter(LedgerBatch::terminal));
        assertThat(reprocessed.state()).isEqualTo(LedgerState.REPROCESSED);
        String retry4 = reprocessed.retiredBy().orElseThrow().retryRunId();
        RunValidated run4 = validation(retry4);
        assertThat(run4.counts()).isEqualTo(new RunValidated.Counts(3, 2, 0, 1));
        assertThat(run4.retry().reason()).isEqualTo("EXTRA_ATTEMPT");
        assertThat(run4.retry().requestId()).isEqualTo(requestId);
        assertThat(client.awaitPromoted(retry4, WAIT)).isPresent();
        assertThat(silverRows(retry4)).containsExactlyInAnyOrder("L-201|LC-4|70.00|ZAR", "L-202|LC-4|30.00|ZAR");
        await("the last condemned batch", () -> ledger.batch(QuarantineLedger.CONDEMNED, retry4));
        assertConservation(10, 8, 0, 2);

        JsonNode audit = json(call("fiona", "GET", "/quarantine/audit?batch=" + retry3, null));
        List<String> trail = new ArrayList<>();
        audit.forEach(entry -> trail.add(entry.path("action").asText() + ":" + entry.path("actor").asText()));
        assertThat(trail).containsSubsequence("CONDEMNED:retry-service", "REQUESTED:sam", "DECISION_REFUSED:sam", "APPROVED:rita",
                "REPROCESSED:retry-service");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static void assertConservation(long entered, long silver, long pending, long condemned) throws Exception {
        JsonNode report = await("conservation " + entered + " = " + silver + " + " + pending + " + " + condemned, () -> {
            JsonNode r = json(call("olivia", "GET", "/quarantine/conservation", null));
            boolean expected = r.path("violations").isEmpty() && r.path("rows_entered").asLong() == entered
                    && r.path("silver").asLong() == silver && r.path("quarantine_pending").asLong() == pending
                    && r.path("condemned").asLong() == condemned;
            return expected ? Optional.of(r) : Optional.empty();
        });
        assertThat(report.path("violations")).isEmpty();
    }

    /** Conservation holds in one of the two states the lake may be in at this point (entered, silver, pending, condemned). */
    private static void assertConservationEither(long[] before, long[] after) throws Exception {
        JsonNode report = await("conservation " + java.util.Arrays.toString(before) + " or " + java.util.Arrays.toString(after), () -> {
            JsonNode r = json(call("olivia", "GET", "/quarantine/conservation", null));
            boolean expected = r.path("violations").isEmpty() && (matches(r, before) || matches(r, after));
            return expected ? Optional.of(r) : Optional.empty();
        });
        assertThat(report.path("violations")).isEmpty();
    }

    private static boolean matches(JsonNode r, long[] counts) {
        return r.path("rows_entered").asLong() == counts[0] && r.path("silver").asLong() == counts[1]
                && r.path("quarantine_pending").asLong() == counts[2] && r.path("condemned").asLong() == counts[3];
    }

    private static void addCurrency(String code) {
        Location location = layout.currencyAllowList();
        CurrencyAllowListDocument current = CurrencyAllowListDocument.parse(store.read(location));
        TreeSet<String> codes = new TreeSet<>(current.codes());
        codes.add(code);
        store.replace(location, CurrencyAllowListDocument.of(codes, current.description()).toJson(), "application/json");
    }

    private static void purgeRetryDueQueue() {
        var endpoints = lake.endpoints();
        var sqs = dev.mortgagelake.aws.LakeAwsClients.sqs(endpoints.sqs(), endpoints.region(), endpoints.accessKeyId(),
                endpoints.secretAccessKey());
        try (sqs) {
            String url = sqs.getQueueUrl(r -> r.queueName(lake.endpoints().queues().retryDue())).queueUrl();
            sqs.purgeQueue(r -> r.queueUrl(url));
        }
    }

    private static RunValidated validation(String runId) {
        return await("the validation record of " + runId, () -> {
            try {
                return Optional.of(EventCodec.mapper().readValue(store.read(layout.validationRecord(RunId.of(runId))), RunValidated.class));
            } catch (ObjectNotFoundException e) {
                return Optional.empty();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static List<String> silverRows(String runId) throws Exception {
        Path dir = Files.createDirectories(work.resolve("silver-" + runId));
        for (StoredObject object : store.list(layout.buckets().silver(), "silver/mortgages/transactions/year=")) {
            if (object.location().key().contains("run_id=" + runId + "/") && object.location().key().endsWith(".parquet")) {
                store.download(object.location(), dir.resolve(object.location().key().replace('/', '_')));
            }
        }
        return query("SELECT transaction_id || '|' || customer_id || '|' || transaction_amount || '|' || currency FROM read_parquet('"
                + dir + "/*.parquet') ORDER BY 1");
    }

    private static void awaitGoldMonthlyReport(String month, String currency, long transactions) {
        String current = layout.goldCurrentPrefix(GoldDataset.MONTHLY_REPORTS.tableName(), GoldDataset.SCHEMA_VERSION);
        await("Gold monthly_reports " + month + " " + currency, () -> {
            try {
                Path dir = Files.createDirectories(work.resolve("gold-" + System.nanoTime()));
                for (StoredObject object : store.list(layout.buckets().gold(), current)) {
                    Path target = dir.resolve(object.location().key());
                    Files.createDirectories(target.getParent());
                    store.download(object.location(), target);
                }
                List<String> counts = query("SELECT transaction_count FROM read_parquet('" + dir.resolve(current)
                        + "/**/*.parquet', hive_partitioning = true) WHERE as_of_month = '" + month + "' AND currency = '" + currency + "'");
                return counts.equals(List.of(String.valueOf(transactions))) ? Optional.of(counts) : Optional.empty();
            } catch (Exception e) {
                return Optional.empty();
            }
        });
    }

    private static Path download(Location location) throws Exception {
        Path target = work.resolve("file-" + System.nanoTime() + ".parquet");
        store.download(location, target);
        return target;
    }

    private static HttpResponse<String> call(String user, String method, String path, String body) {
        URI base = lake.endpoints().services().get("retry-service");
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + user + "-demo").getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new AssertionError(response.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return EventCodec.mapper().readTree(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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

    /** The value {@code probe} finds within {@link #WAIT}, polled by Awaitility; the failure names the logs. */
    private static <T> T await(String what, Supplier<Optional<T>> probe) {
        // The embedded S3 server lists an object while it is still being written (under a temporary
        // name that is gone when read): a probe that reads a listed key then finds nothing, so "not yet".
        return Awaitility.await(what + " (logs in " + work.resolve(".lake/logs") + ")").atMost(WAIT)
                .pollInterval(Duration.ofMillis(250))
                .ignoreException(dev.mortgagelake.storage.ObjectNotFoundException.class)
                .until(probe::get, Optional::isPresent).orElseThrow();
    }
}
