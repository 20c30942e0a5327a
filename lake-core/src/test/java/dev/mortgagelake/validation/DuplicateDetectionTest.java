package dev.mortgagelake.validation;

import dev.mortgagelake.retry.LedgerState;
import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.publish.RunPromotion;
import dev.mortgagelake.publish.table.CommitPolicy;
import dev.mortgagelake.retry.BackoffSchedule;
import dev.mortgagelake.retry.LedgerEntry;
import dev.mortgagelake.retry.QuarantineLedger;
import dev.mortgagelake.storage.Location;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.mortgagelake.validation.RunValidatorTest.HEADER;
import static org.assertj.core.api.Assertions.assertThat;

/** Exact duplicates are condemned, id conflicts quarantined, within a file and against published Silver. */
class DuplicateDetectionTest {

    private static final CommitPolicy FAST = new CommitPolicy(16, Duration.ofMillis(1), Duration.ofMillis(20), 3);

    @TempDir
    Path tempDir;

    private TestLake lake;

    @BeforeEach
    void setUp() {
        lake = new TestLake(tempDir);
    }

    private RunValidated validate(String... rows) {
        return validate(List.of(), rows);
    }

    private RunValidated validate(List<String> supersedes, String... rows) {
        byte[] bytes = (HEADER + "\n" + String.join("\n", rows) + "\n").getBytes(StandardCharsets.UTF_8);
        FileLanded landed = lake.land("t.csv", bytes);
        landed = new FileLanded(landed.runId(), landed.dataset(), landed.schemaVersion(), landed.runKind(), landed.ingestDate(),
                landed.source(), landed.bronze(), landed.sha256(), landed.sizeBytes(), landed.landedAt(), supersedes);
        RunValidated run = lake.validator().validate(landed);
        assertThat(run.counts().balanced()).isTrue();
        return run;
    }

    private void promote(RunValidated run) {
        assertThat(new RunPromotion(lake.store, lake.layout, "v1", FAST, lake.clock).promote(run).isPromoted()).isTrue();
    }

    private List<Map<String, Object>> condemnedRows(RunValidated run) {
        return lake.query("SELECT transaction_id, transaction_amount, source_line, validation_error, error_codes::VARCHAR AS codes "
                + "FROM read_parquet(?) ORDER BY source_line", run.condemned().location());
    }

    @Test
    void anExactDuplicateWithinTheFileIsCondemnedAndTheFirstStays() {
        RunValidated run = validate(
                "T1,C1,10.00,EUR,2024-01-01T10:00:00Z",
                "T2,C1,11.00,EUR,2024-01-01T10:00:00Z",
                "T1,C1,10.0,EUR,2024-01-01T11:00:00+01:00",
                "T1,C1,10.00,EUR,2024-01-01T10:00:00Z");

        assertThat(run.counts()).isEqualTo(new RunValidated.Counts(4, 2, 0, 2));
        assertThat(run.quarantine()).isNull();
        Location condemned = lake.layout.condemnedRows(TestLake.INGEST_DATE, RunId.of(run.runId()));
        assertThat(run.condemned().location()).isEqualTo(condemned);
        assertThat(condemned.key()).startsWith("quarantine/mortgages/transactions/condemned/ingest_date=2026-01-21/run_id=")
                .endsWith("/condemned_rows.parquet");
        assertThat(run.condemned().reasonCounts()).containsExactly(Map.entry("DUPLICATE_EXACT", 2L));
        List<Map<String, Object>> rows = condemnedRows(run);
        // the original values are kept: "10.0" as written, not the canonical 10.00
        assertThat(rows).extracting(r -> r.get("transaction_id"), r -> r.get("transaction_amount"), r -> r.get("source_line"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("T1", "10.0", 4L), org.assertj.core.groups.Tuple.tuple("T1", "10.00", 5L));
        assertThat(rows.get(0).get("validation_error").toString()).startsWith("DUPLICATE_EXACT: exact duplicate of line 2 of this file");
        assertThat(rows.get(0).get("codes")).isEqualTo("[DUPLICATE_EXACT]");
    }

    @Test
    void theSameIdWithOtherContentInTheFileIsQuarantinedAsAnIdConflict() {
        RunValidated run = validate(
                "T1,C1,10.00,EUR,2024-01-01T10:00:00Z",
                "T1,C1,10.01,EUR,2024-01-01T10:00:00Z");

        assertThat(run.counts()).isEqualTo(new RunValidated.Counts(2, 1, 1, 0));
        assertThat(run.quarantine().errorCounts()).containsExactly(Map.entry("DUPLICATE_ID_CONFLICT", 1L));
        assertThat(run.condemned()).isNull();
        assertThat(lake.query("SELECT validation_error FROM read_parquet(?)", run.quarantine().location()).get(0)
                .get("validation_error").toString()).contains("line 2 of this file");
    }

    @Test
    void aDuplicateOfAPublishedRowIsCondemnedInTheNextFileAndAConflictQuarantined() {
        RunValidated first = validate(
                "T1,C1,10.00,EUR,2024-01-01T10:00:00Z",
                "T2,C2,20.00,EUR,2024-02-01T10:00:00Z");
        promote(first);

        RunValidated second = validate(
                "T1,C1,10.00,EUR,2024-01-01T10:00:00Z",
                "T2,C2,20.50,EUR,2024-02-01T10:00:00Z",
                "T3,C3,30.00,EUR,2024-03-01T10:00:00Z");

        assertThat(second.counts()).isEqualTo(new RunValidated.Counts(3, 1, 1, 1));
        assertThat(second.quarantine().errorCounts()).containsExactly(Map.entry("DUPLICATE_ID_CONFLICT", 1L));
        assertThat(condemnedRows(second).get(0).get("validation_error").toString())
                .isEqualTo("DUPLICATE_EXACT: exact duplicate of a row published by run " + first.runId()
                        + " (all business fields equal)");

        // The ledger accounts for the condemned rows.
        QuarantineLedger ledger = new QuarantineLedger(lake.store, lake.layout, BackoffSchedule.productionDefault());
        ledger.record(second);
        LedgerEntry condemned = ledger.findCondemned(second.runId()).orElseThrow();
        assertThat(condemned.state()).isEqualTo(LedgerState.CONDEMNED);
        assertThat(condemned.kind()).isEqualTo(LedgerEntry.KIND_CONDEMNED_ROWS);
        assertThat(condemned.rows()).isEqualTo(1);
        assertThat(condemned.errorCounts()).containsExactly(Map.entry("DUPLICATE_EXACT", 1L));
        assertThat(ledger.find(second.runId()).orElseThrow().rows()).isEqualTo(1);
    }

    @Test
    void rowsOfARunThatIsNotPublishedDoNotCount() {
        validate("T1,C1,10.00,EUR,2024-01-01T10:00:00Z");

        RunValidated second = validate("T1,C1,10.00,EUR,2024-01-01T10:00:00Z");

        assertThat(second.counts()).isEqualTo(new RunValidated.Counts(1, 1, 0, 0));
    }

    @Test
    void aBackfillIsNotADuplicateOfTheRunsItSupersedes() {
        RunValidated original = validate("T1,C1,10.00,EUR,2024-01-01T10:00:00Z");
        promote(original);

        RunValidated backfill = validate(List.of(original.runId()), "T1,C1,10.00,EUR,2024-01-01T10:00:00Z");

        assertThat(backfill.counts()).isEqualTo(new RunValidated.Counts(1, 1, 0, 0));
    }

    @Test
    void everyRowWrittenToSilverIsInTheIndexShardsOfItsRun() {
        RunValidated run = validate(
                "T1,C1,10.00,EUR,2024-01-01T10:00:00Z",
                "T2,C1,10.00,EUR,2024-01-01T10:00:00Z",
                "T3,C1,10.00,EUR,2024-01-01T10:00:00Z",
                "T3,C1,10.00,EUR,2024-01-01T10:00:00Z");

        long indexed = lake.store.list(TestLake.BUCKET, "silver/_index/mortgages/transactions/schema_v=v1/rows/").stream()
                .filter(o -> o.location().key().endsWith("run_id=" + run.runId() + ".idx"))
                .mapToLong(o -> o.size() / 24).sum();
        assertThat(indexed).isEqualTo(run.counts().silver()).isEqualTo(3);
    }

    @Test
    void rowsDeferredByASaturatedSeenIdFilterEndExactlyWhereAnAmpleFilterSendsThem() {
        // Published: T0..T299. The file: ids drawn from T0..T899 with repeats, some with other content.
        java.util.Random random = new java.util.Random(7);
        List<String> published = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            published.add(row(i, 0));
        }
        promote(validate(published.toArray(String[]::new)));
        List<String> file = new java.util.ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            int id = random.nextInt(900);
            file.add(row(id, random.nextInt(10) == 0 ? 1 : 0));
        }

        RunValidated ample = validate(file.toArray(String[]::new));
        RunValidated saturated = validate(lake.validator(lake.store, ValidationConfig.DEFAULT.withMaxSeenIdFilterBytes(64)),
                file.toArray(String[]::new));

        assertThat(saturated.counts()).isEqualTo(ample.counts());
        assertThat(ample.counts().condemned()).isGreaterThan(100);
        assertThat(ample.counts().quarantined()).isGreaterThan(50);
        assertThat(silverLines(saturated)).isEqualTo(silverLines(ample)).hasSize((int) ample.counts().silver());
        assertThat(outcomes(saturated.condemned().location())).isEqualTo(outcomes(ample.condemned().location()));
        assertThat(outcomes(saturated.quarantine().location())).isEqualTo(outcomes(ample.quarantine().location()));
    }

    /** Row {@code id} of the test data; {@code variant} 1 changes its amount (an id conflict). */
    private static String row(int id, int variant) {
        return "T" + id + ",C" + (id % 37) + "," + (100 + id) + "." + (variant == 0 ? "00" : "01") + ",EUR,2024-0"
                + (1 + id % 9) + "-01T10:00:00Z";
    }

    private RunValidated validate(RunValidator validator, String... rows) {
        byte[] bytes = (HEADER + "\n" + String.join("\n", rows) + "\n").getBytes(StandardCharsets.UTF_8);
        RunValidated run = validator.validate(lake.land("t.csv", bytes));
        assertThat(run.counts().balanced()).isTrue();
        return run;
    }

    /** The (id, source line) of every Silver row of the run, sorted. */
    private java.util.SortedSet<String> silverLines(RunValidated run) {
        java.util.SortedSet<String> lines = new java.util.TreeSet<>();
        for (var object : lake.store.list(TestLake.BUCKET, "silver/mortgages/transactions/")) {
            if (object.location().key().contains("run_id=" + run.runId()) && object.location().key().endsWith(".parquet")) {
                for (Map<String, Object> r : lake.query("SELECT transaction_id, source_line FROM read_parquet(?)", object.location())) {
                    lines.add(r.get("transaction_id") + "@" + r.get("source_line"));
                }
            }
        }
        return lines;
    }

    /** The (source line, codes, message) of every row of a quarantine or condemned file, in line order. */
    private List<String> outcomes(Location file) {
        return lake.query("SELECT source_line, error_codes::VARCHAR AS codes, validation_error FROM read_parquet(?) ORDER BY source_line",
                file).stream().map(r -> r.get("source_line") + " " + r.get("codes") + " " + r.get("validation_error")).toList();
    }
}
