package dev.mortgagelake.validation;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.manifest.PartitionManifest;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.StorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

class RunValidatorTest {

    static final String HEADER = "TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp";

    /**
     * 20 records on 23 lines (a quoted line break, a blank line): 6 valid over January-March 2024 (one
     * moved across a month end by its offset), 14 invalid.
     */
    static final List<String> LINES = List.of(
            HEADER,
            "T001,C001,-0.01,EUR,2024-01-05T10:00:00Z",
            "T002,C002,1234567890123456.78,USD,2024-02-10T08:30:00+02:00",
            "T003,\"C,003\",\"100.5\",GBP,2024-02-29T23:30:00-01:00",
            "\"T004\",\"C \"\"4\"\"\nX\",0,CHF,2024-03-15T12:00:00.123456Z",
            "T005,C005,\"1,234.56\",EUR,2024-01-10T00:00:00Z",
            "T006,C006,1.234,EUR,2024-01-10T00:00:00Z",
            "T007,C007,12345678901234567,EUR,2024-01-10T00:00:00Z",
            "T008,C008,10.00,eur,2024-01-10T00:00:00Z",
            "T009,C009,10.00,XYZ,2024-01-10T00:00:00Z",
            "T010,,10.00,EUR,2024-01-10T00:00:00Z",
            "T011,C011,10.00, EUR,2024-01-10T00:00:00Z",
            "T012,C012,10.00,EUR,2024-01-10T00:00:00",
            "T013,C013,10.00,EUR,10/01/2024",
            "T014,C014,10.00,EUR,2027-01-01T00:00:00Z",
            "T015,C015,10.00,EUR,1969-07-20T20:17:00Z",
            "T016,C016,10.00,EUR",
            "T017,C017,10.00,EUR,2024-01-10T00:00:00Z,extra",
            ",C018,1e5,usd,2024-01-10",
            "T019,C019,0.10,EUR,2024-01-31T23:59:59.999999Z",
            "",
            "T020,C020,5,SEK,2024-03-31T23:59:59Z");

    /** How the same records are encoded; the Bronze name never reveals the compression. */
    enum Encoding {
        PLAIN_LF_NAMED_GZ("transactions.csv.gz"),
        GZIP_CRLF_BOM_NAMED_CSV("transactions.csv");

        final String fileName;

        Encoding(String fileName) {
            this.fileName = fileName;
        }

        byte[] encode(List<String> lines) {
            if (this == PLAIN_LF_NAMED_GZ) {
                return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
            }
            byte[] text = ("\uFEFF" + String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8);
            return TestLake.gzip(text);
        }
    }

    @TempDir
    Path tempDir;

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void validRowsGoToSilverAndInvalidRowsToQuarantine(Encoding encoding) {
        TestLake lake = new TestLake(tempDir);
        byte[] bytes = encoding.encode(LINES);
        FileLanded landed = lake.land(encoding.fileName, bytes);
        RunId runId = RunId.of(landed.runId());

        RunValidated result = lake.validator().validate(landed);

        assertThat(result.outcome()).isEqualTo(RunValidated.OUTCOME_VALIDATED);
        assertThat(result.counts()).isEqualTo(new RunValidated.Counts(20, 6, 14, 0));
        assertThat(result.runId()).isEqualTo(landed.runId());
        assertThat(result.runKind()).isEqualTo(FileLanded.KIND_INGEST);
        assertThat(result.supersedes()).isEqualTo(landed.supersedes());
        assertThat(result.ingestDate()).isEqualTo(TestLake.INGEST_DATE);
        assertThat(result.bronze()).isEqualTo(landed.bronze());
        assertThat(result.inputSha256()).isEqualTo(TestLake.sha256(bytes));
        assertThat(result.validatedAt()).isEqualTo(TestLake.NOW);
        assertThat(result.drift()).isEqualTo(RunValidated.Drift.NONE);
        assertThat(result.fileRejection()).isNull();
        assertThat(result.partitions()).containsExactly(
                new RunValidated.Partition("2024-01", 2, lake.layout.silverManifest(YearMonth.of(2024, 1), "v1", runId)),
                new RunValidated.Partition("2024-02", 1, lake.layout.silverManifest(YearMonth.of(2024, 2), "v1", runId)),
                new RunValidated.Partition("2024-03", 3, lake.layout.silverManifest(YearMonth.of(2024, 3), "v1", runId)));
        assertThat(result.quarantine().location()).isEqualTo(lake.layout.invalidRows(TestLake.INGEST_DATE, runId));
        assertThat(result.quarantine().rows()).isEqualTo(14);
        assertThat(result.quarantine().errorCounts()).containsOnly(
                entry("AMOUNT_FORMAT", 2L), entry("AMOUNT_SCALE", 1L), entry("AMOUNT_PRECISION", 1L),
                entry("CURRENCY_FORMAT", 2L), entry("CURRENCY_NOT_ALLOWED", 1L), entry("REQUIRED", 2L),
                entry("WHITESPACE", 1L), entry("TIMESTAMP_NO_ZONE", 1L), entry("TIMESTAMP_FORMAT", 2L),
                entry("TIMESTAMP_IN_FUTURE", 1L), entry("TIMESTAMP_TOO_EARLY", 1L), entry("FIELD_COUNT", 2L));

        assertSilver(lake, runId);
        assertQuarantine(lake, runId);
        assertManifestsAndMarkers(lake, result, bytes);
        assertThat(lake.workDirIsEmpty()).isTrue();
    }

    private static void assertSilver(TestLake lake, RunId runId) {
        Location january = lake.layout.silverPart(YearMonth.of(2024, 1), "v1", runId, 0);
        assertThat(lake.query("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?,"
                + " hive_partitioning = false))", january))
                .containsExactly(
                        Map.of("column_name", "transaction_id", "column_type", "VARCHAR"),
                        Map.of("column_name", "customer_id", "column_type", "VARCHAR"),
                        Map.of("column_name", "transaction_amount", "column_type", "DECIMAL(18,2)"),
                        Map.of("column_name", "currency", "column_type", "VARCHAR"),
                        Map.of("column_name", "transaction_timestamp", "column_type", "TIMESTAMP WITH TIME ZONE"),
                        Map.of("column_name", "run_id", "column_type", "VARCHAR"),
                        Map.of("column_name", "source_line", "column_type", "BIGINT"),
                        Map.of("column_name", "transaction_type", "column_type", "VARCHAR"));

        assertThat(lake.query("SELECT path_in_schema AS col, compression, encodings FROM parquet_metadata(?)"
                + " WHERE path_in_schema IN ('transaction_id', 'customer_id', 'currency')", january))
                .containsExactlyInAnyOrder(
                        Map.of("col", "transaction_id", "compression", "SNAPPY", "encodings", "PLAIN, BIT_PACKED"),
                        Map.of("col", "customer_id", "compression", "SNAPPY", "encodings", "PLAIN, BIT_PACKED"),
                        Map.of("col", "currency", "compression", "SNAPPY", "encodings", "PLAIN_DICTIONARY, BIT_PACKED"));

        String select = "SELECT transaction_id, customer_id, transaction_amount, currency, epoch_us(transaction_timestamp) AS micros,"
                + " run_id, source_line FROM read_parquet(?, hive_partitioning = false) ORDER BY source_line";
        assertThat(lake.query(select, january)).containsExactly(
                silverRow("T001", "C001", "-0.01", "EUR", "2024-01-05T10:00:00Z", runId, 2),
                silverRow("T019", "C019", "0.10", "EUR", "2024-01-31T23:59:59.999999Z", runId, 21));
        assertThat(lake.query(select, lake.layout.silverPart(YearMonth.of(2024, 2), "v1", runId, 0))).containsExactly(
                silverRow("T002", "C002", "1234567890123456.78", "USD", "2024-02-10T06:30:00Z", runId, 3));
        assertThat(lake.query(select, lake.layout.silverPart(YearMonth.of(2024, 3), "v1", runId, 0))).containsExactly(
                silverRow("T003", "C,003", "100.50", "GBP", "2024-03-01T00:30:00Z", runId, 4),
                silverRow("T004", "C \"4\"\nX", "0.00", "CHF", "2024-03-15T12:00:00.123456Z", runId, 5),
                silverRow("T020", "C020", "5.00", "SEK", "2024-03-31T23:59:59Z", runId, 23));
    }

    private static void assertQuarantine(TestLake lake, RunId runId) {
        Location invalid = lake.layout.invalidRows(TestLake.INGEST_DATE, runId);
        assertThat(lake.query("SELECT column_name AS c, column_type AS t FROM (DESCRIBE SELECT * FROM read_parquet(?,"
                + " hive_partitioning = false))", invalid)).extracting(r -> r.get("c") + " " + r.get("t")).containsExactly(
                "transaction_id VARCHAR", "customer_id VARCHAR", "transaction_amount VARCHAR", "currency VARCHAR",
                "transaction_timestamp VARCHAR", "source_line BIGINT", "raw_record VARCHAR", "validation_error VARCHAR",
                "error_codes VARCHAR[]", "attempt_count INTEGER", "retry_history STRUCT(attempt INTEGER, attempted_at TIMESTAMP WITH"
                        + " TIME ZONE, error_codes VARCHAR[], validation_error VARCHAR, run_id VARCHAR)[]", "run_id VARCHAR", "ingest_date DATE",
                "transaction_type VARCHAR");
        List<Map<String, Object>> rows = lake.query("SELECT transaction_id, customer_id, transaction_amount, currency,"
                + " transaction_timestamp, source_line, raw_record, validation_error, array_to_string(error_codes, '|') AS codes,"
                + " attempt_count, len(retry_history) AS retries, run_id, CAST(ingest_date AS VARCHAR) AS ingest_date"
                + " FROM read_parquet(?, hive_partitioning = false) ORDER BY source_line", invalid);

        assertThat(rows).extracting(r -> r.get("source_line"))
                .containsExactly(7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
        assertThat(rows).extracting(r -> r.get("codes")).containsExactly(
                "AMOUNT_FORMAT", "AMOUNT_SCALE", "AMOUNT_PRECISION", "CURRENCY_FORMAT", "CURRENCY_NOT_ALLOWED", "REQUIRED",
                "WHITESPACE", "TIMESTAMP_NO_ZONE", "TIMESTAMP_FORMAT", "TIMESTAMP_IN_FUTURE", "TIMESTAMP_TOO_EARLY",
                "FIELD_COUNT", "FIELD_COUNT", "REQUIRED|AMOUNT_FORMAT|CURRENCY_FORMAT|TIMESTAMP_FORMAT");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("attempt_count")).isEqualTo(1);
            assertThat(r.get("retries")).isEqualTo(0L);
            assertThat(r.get("run_id")).isEqualTo(runId.value());
            assertThat(r.get("ingest_date")).isEqualTo("2026-01-21");
        });

        Map<String, Object> thousands = rows.get(0);
        assertThat(thousands.get("transaction_amount")).isEqualTo("1,234.56");
        assertThat(thousands.get("raw_record")).isEqualTo("T005,C005,\"1,234.56\",EUR,2024-01-10T00:00:00Z");
        assertThat(thousands.get("validation_error")).isEqualTo("AMOUNT_FORMAT: TransactionAmount '1,234.56' is not a plain"
                + " decimal (optional '-', digits, optional '.' and 1-2 digits)");

        Map<String, Object> empty = rows.get(5);
        assertThat(empty.get("customer_id")).isEqualTo("");
        assertThat(empty.get("validation_error")).isEqualTo("REQUIRED: CustomerID is required but empty");

        Map<String, Object> padded = rows.get(6);
        assertThat(padded.get("currency")).isEqualTo(" EUR");
        assertThat(padded.get("validation_error")).isEqualTo("WHITESPACE: Currency ' EUR' has leading or trailing whitespace"
                + " (values are never trimmed)");

        Map<String, Object> future = rows.get(9);
        assertThat(future.get("validation_error")).isEqualTo("TIMESTAMP_IN_FUTURE: TransactionTimestamp '2027-01-01T00:00:00Z'"
                + " is after 2026-01-22T12:00:00Z (validation time 2026-01-21T12:00:00Z + PT24H)");

        Map<String, Object> short4 = rows.get(11);
        assertThat(short4.get("currency")).isEqualTo("EUR");
        assertThat(short4.get("transaction_timestamp")).isNull();
        assertThat(short4.get("raw_record")).isEqualTo("T016,C016,10.00,EUR");
        assertThat(short4.get("validation_error")).isEqualTo("FIELD_COUNT: record has 4 field(s) but the header has 5");

        Map<String, Object> long6 = rows.get(12);
        assertThat(long6.get("transaction_timestamp")).isEqualTo("2024-01-10T00:00:00Z");
        assertThat(long6.get("raw_record")).isEqualTo("T017,C017,10.00,EUR,2024-01-10T00:00:00Z,extra");

        Map<String, Object> everything = rows.get(13);
        assertThat(everything.get("transaction_id")).isEqualTo("");
        assertThat(everything.get("transaction_amount")).isEqualTo("1e5");
        assertThat((String) everything.get("validation_error")).contains("REQUIRED: TransactionID is required but empty; ")
                .contains("CURRENCY_FORMAT: Currency 'usd'").contains("TIMESTAMP_FORMAT: TransactionTimestamp '2024-01-10'");
    }

    private static void assertManifestsAndMarkers(TestLake lake, RunValidated result, byte[] bronzeBytes) {
        RunId runId = RunId.of(result.runId());
        for (RunValidated.Partition partition : result.partitions()) {
            YearMonth month = YearMonth.parse(partition.yearMonth());
            PartitionManifest manifest = PartitionManifest.fromJson(lake.store.read(partition.manifest()));
            Location part = lake.layout.silverPart(month, "v1", runId, 0);
            byte[] partBytes = lake.store.read(part);

            assertThat(manifest.runId()).isEqualTo(result.runId());
            assertThat(manifest.schemaVersion()).isEqualTo("v1");
            assertThat(manifest.yearMonth()).isEqualTo(partition.yearMonth());
            assertThat(manifest.rows()).isEqualTo(partition.rows());
            assertThat(manifest.files()).containsExactly(
                    new PartitionManifest.FileEntry(part.key(), partBytes.length, TestLake.sha256(partBytes), partition.rows()));
            assertThat(manifest.input()).isEqualTo(new PartitionManifest.Input(result.bronze(), TestLake.sha256(bronzeBytes),
                    bronzeBytes.length));
            assertThat(manifest.runTotals()).isEqualTo(result.counts());
            assertThat(manifest.createdAt()).isEqualTo(TestLake.NOW);
            assertThat(lake.store.head(lake.layout.silverSuccess(month, "v1", runId))).isPresent();
            assertThat(lake.query("SELECT count(*) AS n FROM read_parquet(?, hive_partitioning = false)", part))
                    .containsExactly(Map.of("n", partition.rows()));
        }
        assertThat(lake.keysUnder("silver/mortgages/transactions/")).hasSize(3 * 3);
    }

    private static Map<String, Object> silverRow(String id, String customer, String amount, String currency, String timestamp,
                                                 RunId runId, long line) {
        Instant instant = Instant.parse(timestamp);
        Map<String, Object> row = new TreeMap<>();
        row.put("transaction_id", id);
        row.put("customer_id", customer);
        row.put("transaction_amount", new BigDecimal(amount));
        row.put("currency", currency);
        row.put("micros", instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000);
        row.put("run_id", runId.value());
        row.put("source_line", line);
        return row;
    }

    @Test
    void validatingTwiceReturnsTheStoredResultAndWritesNothing() throws Exception {
        TestLake lake = new TestLake(tempDir);
        FileLanded landed = lake.land("transactions.csv", Encoding.PLAIN_LF_NAMED_GZ.encode(LINES));
        RunValidated first = lake.validator().validate(landed);
        Map<String, String> outputs = lake.outputs();

        RunValidated second = lake.validator().validate(landed);

        assertThat(second).isEqualTo(first);
        assertThat(lake.outputs()).isEqualTo(outputs);
        assertThat(EventCodec.mapper().readValue(lake.store.read(lake.layout.validationRecord(RunId.of(landed.runId()))),
                RunValidated.class)).isEqualTo(first);
    }

    @Test
    void unknownColumnsAreDriftAndRowsAreStillValidated() {
        TestLake lake = new TestLake(tempDir);
        String csv = "Notes,Currency,TransactionTimestamp,TransactionAmount,CustomerID,TransactionID\n"
                + "first,EUR,2024-05-01T00:00:00Z,10.00,C1,T1\n"
                + "\"with, comma\",EUR,2024-05-01T00:00:00Z,10.001,C2,T2\n";
        FileLanded landed = lake.land("drift.csv", csv.getBytes(StandardCharsets.UTF_8));
        RunId runId = RunId.of(landed.runId());

        RunValidated result = lake.validator().validate(landed);

        assertThat(result.drift()).isEqualTo(new RunValidated.Drift(List.of("Notes"), List.of()));
        assertThat(result.counts()).isEqualTo(new RunValidated.Counts(2, 1, 1, 0));
        assertThat(lake.query("SELECT transaction_id, customer_id, currency FROM read_parquet(?, hive_partitioning = false)",
                lake.layout.silverPart(YearMonth.of(2024, 5), "v1", runId, 0)))
                .containsExactly(Map.of("transaction_id", "T1", "customer_id", "C1", "currency", "EUR"));
        assertThat(lake.query("SELECT transaction_id, transaction_amount, raw_record FROM read_parquet(?, hive_partitioning = false)",
                lake.layout.invalidRows(TestLake.INGEST_DATE, runId)))
                .containsExactly(Map.of("transaction_id", "T2", "transaction_amount", "10.001",
                        "raw_record", "\"with, comma\",EUR,2024-05-01T00:00:00Z,10.001,C2,T2"));
    }

    @Test
    void aLargePartitionRollsToFurtherPartFilesListedInItsManifest() {
        TestLake lake = new TestLake(tempDir);
        FileLanded landed = lake.land("roll.csv", Encoding.PLAIN_LF_NAMED_GZ.encode(LINES));
        RunId runId = RunId.of(landed.runId());

        RunValidated result = lake.validator(lake.store, ValidationConfig.DEFAULT.withMaxRowsPerPart(2)).validate(landed);

        RunValidated.Partition march = result.partitions().get(2);
        PartitionManifest manifest = PartitionManifest.fromJson(lake.store.read(march.manifest()));
        assertThat(manifest.files()).extracting(PartitionManifest.FileEntry::key, PartitionManifest.FileEntry::rows).containsExactly(
                tuple(lake.layout.silverPart(YearMonth.of(2024, 3), "v1", runId, 0).key(), 2L),
                tuple(lake.layout.silverPart(YearMonth.of(2024, 3), "v1", runId, 1).key(), 1L));
        assertThat(manifest.rows()).isEqualTo(3);
        assertThat(lake.query("SELECT transaction_id FROM read_parquet(?, hive_partitioning = false)",
                lake.layout.silverPart(YearMonth.of(2024, 3), "v1", runId, 1)))
                .containsExactly(Map.of("transaction_id", "T020"));
    }

    @Test
    void aRunWithoutInvalidRowsHasNoQuarantineFile() {
        TestLake lake = new TestLake(tempDir);
        FileLanded landed = lake.land("clean.csv", (HEADER + "\nT1,C1,1.00,EUR,2024-01-01T00:00:00Z\n").getBytes(StandardCharsets.UTF_8));

        RunValidated result = lake.validator().validate(landed);

        assertThat(result.quarantine()).isNull();
        assertThat(lake.keysUnder("quarantine/")).isEmpty();
        assertThat(result.counts()).isEqualTo(new RunValidated.Counts(1, 1, 0, 0));
    }

    @Test
    void aRunWithOnlyInvalidRowsHasNoSilverPartition() {
        TestLake lake = new TestLake(tempDir);
        FileLanded landed = lake.land("bad.csv", (HEADER + "\nT1,C1,1.001,EUR,2024-01-01T00:00:00Z\n").getBytes(StandardCharsets.UTF_8));

        RunValidated result = lake.validator().validate(landed);

        assertThat(result.outcome()).isEqualTo(RunValidated.OUTCOME_VALIDATED);
        assertThat(result.partitions()).isEmpty();
        assertThat(lake.keysUnder("silver/mortgages/transactions/year=")).isEmpty();
        assertThat(result.quarantine().rows()).isEqualTo(1);
    }

    @Test
    void stagingFilesAreDeletedWhenTheStoreFails() {
        TestLake lake = new TestLake(tempDir);
        FileLanded landed = lake.land("fail.csv", Encoding.PLAIN_LF_NAMED_GZ.encode(LINES));
        FailingObjectStore failing = new FailingObjectStore(lake.store, 2);

        assertThatThrownBy(() -> lake.validator(failing, ValidationConfig.DEFAULT).validate(landed))
                .isInstanceOf(StorageException.class);
        assertThat(lake.workDirIsEmpty()).isTrue();
        assertThat(Files.exists(lake.workDir)).isTrue();
    }
}
