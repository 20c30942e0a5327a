package dev.mortgagelake.ops;

import dev.mortgagelake.aws.LakeAwsClients;
import dev.mortgagelake.local.LakeClient;
import dev.mortgagelake.local.LakeEndpoints;
import dev.mortgagelake.local.LocalLake;
import dev.mortgagelake.local.RunOutcome;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No dashboard or alert can show a metric that does not exist: the four services run as their
 * packaged fast-jars over the embedded SQS and S3 servers, a file with invalid rows and a file
 * missing a column are landed, and every metric name read by a dashboard panel or an alert rule
 * must then be in some service's {@code /q/metrics}.
 */
class MetricsExportedTest {

    /** Series Prometheus makes itself from the scrape, not exported by any service. */
    private static final Set<String> SYNTHESISED_BY_PROMETHEUS = Set.of("up");

    @TempDir
    static Path work;

    private static LocalLake lake;
    private static LakeClient client;
    private static RunOutcome withInvalidRows;
    private static RunOutcome missingAColumn;

    @BeforeAll
    static void runTheLakeOverTwoFiles() throws Exception {
        // queue depth read every 2 s instead of 30 s, so the gauges hold numbers by the time we scrape
        // the file is 2 of 5 rows bad on purpose: the audit gate (5%) is lifted so the run is promoted
        lake = LocalLake.start(Repository.root(), work.resolve(".lake"), Map.of("lake.metrics.queues.every", "2s",
                "lake.publish.audit.max-quarantine-rate", "1"));
        client = lake.client();
        Path mixed = work.resolve("mortgages-mixed.csv");
        Files.writeString(mixed, """
                TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp
                T-001,C-1,100.50,EUR,2026-01-31T10:00:00Z
                T-002,C-2,-20.00,USD,2026-02-01T10:00:00Z
                T-003,C-3,7.00,GBP,2026-02-02T10:00:00Z
                X-001,C-9,10.00,XYZ,2026-01-02T10:00:00Z
                X-002,C-9,10.123,EUR,2026-01-02T10:00:00Z
                """);
        Path rejected = work.resolve("mortgages-missing-column.csv");
        Files.writeString(rejected, """
                TransactionID,CustomerID,TransactionAmount,Currency
                T-004,C-1,1.00,EUR
                """);
        withInvalidRows = client.awaitOutcome(client.land(mixed), Duration.ofSeconds(180));
        missingAColumn = client.awaitOutcome(client.land(rejected), Duration.ofSeconds(180));
        // a poison message, so that the poison-message counter the alert reads exists
        LakeEndpoints endpoints = lake.endpoints();
        try (SqsClient sqs = LakeAwsClients.sqs(endpoints.sqs(), endpoints.region(), endpoints.accessKeyId(), endpoints.secretAccessKey())) {
            String landing = sqs.getQueueUrl(r -> r.queueName(endpoints.queues().landing())).queueUrl();
            sqs.sendMessage(r -> r.queueUrl(landing).messageBody("not an S3 notification"));
        }
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
    void everyMetricADashboardOrAlertReadsIsExported() throws Exception {
        assertThat(withInvalidRows.outcome()).as("%s%n%s", withInvalidRows.detail(), logTails()).isEqualTo("PROMOTED");
        assertThat(missingAColumn.outcome()).as("%s%n%s", missingAColumn.detail(), logTails()).isEqualTo("FILE_REJECTED");

        Map<String, Set<String>> usedBy = new TreeMap<>();
        for (String expr : Repository.promqlExpressions()) {
            for (String name : PromqlMetricNames.of(expr)) {
                usedBy.computeIfAbsent(name, n -> new TreeSet<>()).add(expr);
            }
        }
        usedBy.keySet().removeAll(SYNTHESISED_BY_PROMETHEUS);
        assertThat(usedBy).hasSizeGreaterThan(15);

        // The services export some meters only once their event happened (e.g. retry-service's batch
        // counter after it took the quarantine batch): scrape until all are there or 30 s have passed.
        Map<String, String> scrapes = scrapeUntil(s -> exportedNames(s).containsAll(usedBy.keySet()), Duration.ofSeconds(30));
        Set<String> exported = exportedNames(scrapes);
        Map<String, Set<String>> missing = new TreeMap<>(usedBy);
        missing.keySet().removeAll(exported);
        assertThat(missing).as("metrics read by dashboards or alerts but exported by no service (exported: %s)", exported)
                .isEmpty();
    }

    @Test
    void theRunsShowInTheMetricsWithTheirLabels() throws Exception {
        String emptyDeadLetters = "lake_queue_messages{queue=\"%s-dlq\",role=\"dead_letter\",state=\"visible\"} 0.0";
        Map<String, String> scrapes = scrapeUntil(s -> exportedNames(s).contains("lake_quarantine_batches_total")
                && s.get("validation-service").contains(emptyDeadLetters.formatted("lake-file-landed")), Duration.ofSeconds(30));
        assertThat(scrapes.get("validation-service"))
                .contains("lake_files_rejected_total{code=\"MISSING_COLUMNS\"")
                // one run with rows: 2 of its 5 rows quarantined
                .contains("lake_run_quarantine_percent_bucket{dataset=\"mortgages/transactions\",le=\"25.0\"} 0.0")
                .contains("lake_run_quarantine_percent_bucket{dataset=\"mortgages/transactions\",le=\"50.0\"} 1.0")
                .contains("lake_run_quarantine_percent_sum{dataset=\"mortgages/transactions\"} 40.0")
                .contains("lake_schema_drift_columns_total{dataset=\"mortgages/transactions\",kind=\"missing\"} 1.0")
                .contains(emptyDeadLetters.formatted("lake-file-landed"))
                .contains("lake_validation_duration_seconds_bucket{");
        assertThat(scrapes.get("publish-service"))
                .contains("lake_promotions_total{decision=\"promoted\"} 1.0")
                .contains("lake_promotions_total{decision=\"file_rejected\"} 1.0")
                .containsPattern("lake_table_published_age_seconds\\{dataset=\"mortgages/transactions\",layer=\"silver\"} \\d");
        assertThat(scrapes.get("retry-service")).contains("lake_retry_ledger_entries{state=\"pending_retry\"} 1.0");
        for (String service : LocalLake.SERVICES) {
            assertThat(scrapes.get(service)).as(service).contains("lake_queue_messages{").contains("role=\"dead_letter\"");
        }
    }

    /** Scrapes the four services until {@code done} holds for the scrapes or the timeout passed; returns the last scrapes. */
    private static Map<String, String> scrapeUntil(Predicate<Map<String, String>> done, Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        AtomicReference<Map<String, String>> last = new AtomicReference<>();
        try {
            await("scrapes of " + LocalLake.SERVICES).atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
                Map<String, String> scrapes = new LinkedHashMap<>();
                for (String service : LocalLake.SERVICES) {
                    URI metrics = lake.service(service).url().resolve("/q/metrics");
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).GET().build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).as("GET %s", metrics).isEqualTo(200);
                    scrapes.put(service, response.body());
                }
                last.set(scrapes);
                return done.test(scrapes);
            });
        } catch (ConditionTimeoutException notYet) {
            // the caller's assertions on the last scrapes say what is missing
        }
        return last.get();
    }

    private static String logTails() {
        StringBuilder tails = new StringBuilder();
        LocalLake.SERVICES.forEach(service -> tails.append("--- ").append(service).append(" log tail:\n")
                .append(lake.service(service).logTail()).append('\n'));
        return tails.toString();
    }

    private static Set<String> exportedNames(Map<String, String> scrapes) {
        Set<String> names = new TreeSet<>();
        scrapes.values().forEach(text -> names.addAll(metricNames(text)));
        return names;
    }

    /** The metric names of a Prometheus text exposition (sample lines, not comments). */
    static Set<String> metricNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }
}
