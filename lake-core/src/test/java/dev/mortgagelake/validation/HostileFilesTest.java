package dev.mortgagelake.validation;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.LakeEvents;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.storage.Location;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static dev.mortgagelake.validation.RunValidatorTest.HEADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The hostile-file corpus (malformed, oversized, wrongly encoded, formula-injecting files), run through the lake's own validation code ({@link RunValidator}, as
 * {@code ./lake validate} does): file-level cases (generated here: nothing large is committed) and
 * row-level cases, each with its one documented outcome (docs/RELIABILITY.md, "Hostile files"), and
 * for every case nothing lost: rows read = Silver + quarantined + condemned, a rejected file stays in
 * Bronze byte for byte with a rejection record, and every event stays small enough for SQS.
 */
class HostileFilesTest {

    private static final String ROW = "T1,C1,1.00,EUR,2024-01-01T00:00:00Z";
    /** SQS accepts messages of at most 256 KiB. */
    private static final int SQS_MAX_MESSAGE_BYTES = 256 * 1024;

    @TempDir
    Path tempDir;

    // ---- file-level cases --------------------------------------------------------------------------

    /** name, bytes, expected rejection code (null: validated), expected rows read / silver / quarantined. */
    static Stream<Arguments> fileCases() {
        byte[] valid = utf8(HEADER + "\n" + ROW + "\n");
        byte[] gzip = gzip(valid);
        StringBuilder utf8Rows = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < 100; i++) {
            utf8Rows.append("M").append(i).append(",Zoë,1.00,EUR,2024-01-01T00:00:00Z\n");
        }
        ByteArrayOutputStream mixed = new ByteArrayOutputStream();
        mixed.writeBytes(utf8(utf8Rows.toString()));
        mixed.writeBytes(new byte[] {'M', 'X', ',', 'Z', 'o', (byte) 0xEB, ',', '1', '.', '0', '0', ',', 'E', 'U', 'R', ','});
        mixed.writeBytes(utf8("2024-01-01T00:00:00Z\n"));
        StringBuilder wide = new StringBuilder(HEADER);
        for (int i = 0; i < 100_000; i++) {
            wide.append(",X").append(i);
        }
        wide.append('\n').append(ROW).append('\n');
        byte[] binary = new byte[64 * 1024];
        new SplittableRandom(13).nextBytes(binary);
        binary[0] = 'T';
        byte[] zip = Arrays.copyOf(new byte[] {'P', 'K', 3, 4}, 4096);
        new SplittableRandom(14).nextBytes(zip);
        zip[0] = 'P';
        zip[1] = 'K';
        zip[2] = 3;
        zip[3] = 4;
        StringBuilder blankLines = new StringBuilder();
        blankLines.append("\n".repeat(1_000_000)).append(HEADER).append('\n').append(ROW).append('\n');
        StringBuilder runaway = new StringBuilder(HEADER).append("\nT1,\"C1,1.00,EUR,2024-01-01T00:00:00Z\n");
        for (int i = 0; i < 10_000; i++) {
            runaway.append('T').append(i).append(",C1,1.00,EUR,2024-01-01T00:00:00Z\n");
        }
        return Stream.of(
                file("gzip bomb (64 MiB of zeros behind a valid row)", gzipBomb(64 * 1024 * 1024), "DECOMPRESSION_LIMIT", 0, 0, 0),
                file("truncated gzip", Arrays.copyOf(gzip, gzip.length / 2), "CORRUPT_GZIP", 0, 0, 0),
                file("concatenated gzip members", concat(gzip(utf8(HEADER + "\n" + ROW + "\n")),
                        gzip(utf8("T2,C2,2.00,USD,2024-01-02T00:00:00Z\n"))), null, 2, 2, 0),
                file("gzip inside gzip", gzip(gzip), "NOT_UTF8", 0, 0, 0),
                file("16 MiB single line, no line end (1 GB scaled down: 16 times the 1 MiB record limit)",
                        utf8("T".repeat(16 * 1024 * 1024)), "RECORD_TOO_LARGE", 0, 0, 0),
                file("header name of 2 MiB", utf8(HEADER + ",N" + "n".repeat(2 * 1024 * 1024) + "\n" + ROW + ",x\n"),
                        "RECORD_TOO_LARGE", 0, 0, 0),
                file("random binary data", binary, "NOT_UTF8", 0, 0, 0),
                file("a zip archive (xlsx) named .csv", zip, "NOT_UTF8", 0, 0, 0),
                file("UTF-16LE with byte order mark", concat(new byte[] {(byte) 0xFF, (byte) 0xFE},
                        (HEADER + "\n" + ROW + "\n").getBytes(StandardCharsets.UTF_16LE)), "NOT_UTF8", 0, 0, 0),
                file("UTF-16BE with byte order mark", concat(new byte[] {(byte) 0xFE, (byte) 0xFF},
                        (HEADER + "\n" + ROW + "\n").getBytes(StandardCharsets.UTF_16BE)), "NOT_UTF8", 0, 0, 0),
                file("UTF-16LE without byte order mark (NUL in every other byte)",
                        (HEADER + "\n" + ROW + "\n").getBytes(StandardCharsets.UTF_16LE), "MISSING_COLUMNS", 0, 0, 0),
                file("mixed encodings: 100 UTF-8 rows then a Latin-1 row", mixed.toByteArray(), "NOT_UTF8", 0, 0, 0),
                file("NUL bytes inside values", utf8(HEADER + "\n" + ROW + "\nT\u00002,C2,1.00,EUR,2024-01-01T00:00:00Z\n"),
                        null, 2, 1, 1),
                file("header of 100,000 columns (past the CSV reader's 16,384 fields)", utf8(wide.toString()), "TOO_MANY_COLUMNS", 0, 0, 0),
                file("header of 5,000 columns (past the lake's 1,000)", utf8(columns(5_000)), "TOO_MANY_COLUMNS", 0, 0, 0),
                file("a data row of 20,000 fields", utf8(HEADER + "\n" + ROW + "," + ",x".repeat(20_000) + "\n"), "TOO_MANY_COLUMNS", 0, 0, 0),
                file("CR-only line ends", utf8(HEADER + "\r" + ROW + "\rT2,C2,2.00,EUR,2024-01-01T00:00:00Z\r"), null, 2, 2, 0),
                file("mixed LF, CRLF and CR line ends", utf8(HEADER + "\r\n" + ROW + "\nT2,C2,2.00,EUR,2024-01-01T00:00:00Z\r"
                        + "T3,C3,3.00,EUR,2024-01-01T00:00:00Z\r\n"), null, 3, 3, 0),
                file("zero-byte .gz", new byte[0], "EMPTY_FILE", 0, 0, 0),
                file("byte order mark only", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "EMPTY_FILE", 0, 0, 0),
                file("a million blank lines before the header", utf8(blankLines.toString()), null, 1, 1, 0),
                file("runaway quote swallowing the rest of the file", utf8(runaway.toString()), "MALFORMED_CSV", 0, 0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileCases")
    void fileCase(String name, byte[] bytes, String rejection, long read, long silver, long quarantined) {
        TestLake lake = new TestLake(tempDir);
        FileLanded landed = lake.land(name.contains(".gz") || name.contains("gzip") ? "t.csv.gz" : "t.csv", bytes);

        RunValidated run = lake.validator().validate(landed);

        assertThat(run.counts().balanced()).as("rows read = silver + quarantined + condemned").isTrue();
        assertThat(run.counts()).isEqualTo(new RunValidated.Counts(read, silver, quarantined, 0));
        assertThat(lake.store.read(landed.bronze())).as("Bronze untouched").isEqualTo(bytes);
        assertThat(EventCodec.encode(LakeEvents.runValidated(run)).getBytes(StandardCharsets.UTF_8).length)
                .as("run-validated fits in an SQS message").isLessThan(SQS_MAX_MESSAGE_BYTES);
        if (rejection == null) {
            assertThat(run.outcome()).as(String.valueOf(run.fileRejection())).isEqualTo(RunValidated.OUTCOME_VALIDATED);
        } else {
            assertThat(run.outcome()).isEqualTo(RunValidated.OUTCOME_FILE_REJECTED);
            assertThat(run.fileRejection().code()).as(run.fileRejection().message()).isEqualTo(rejection);
            assertThat(lake.store.read(run.fileRejection().record()).length).as("rejection record size").isLessThan(SQS_MAX_MESSAGE_BYTES);
        }
        assertThat(lake.workDirIsEmpty()).isTrue();
    }

    /** The small hostile files committed under {@code src/test/resources/hostile/}, with their outcomes in {@code expected.tsv}. */
    static Stream<Arguments> resourceCorpus() throws IOException {
        List<Arguments> cases = new java.util.ArrayList<>();
        try (java.io.InputStream in = HostileFilesTest.class.getResourceAsStream("/hostile/expected.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                byte[] bytes;
                try (java.io.InputStream file = HostileFilesTest.class.getResourceAsStream("/hostile/" + f[0])) {
                    bytes = file.readAllBytes();
                }
                cases.add(arguments(f[0], bytes, "VALIDATED".equals(f[1]) ? null : f[1], Long.parseLong(f[2]), Long.parseLong(f[3]),
                        Long.parseLong(f[4])));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resourceCorpus")
    void resourceCorpusCase(String name, byte[] bytes, String rejection, long read, long silver, long quarantined) {
        fileCase(name, bytes, rejection, read, silver, quarantined);
    }

    @Test
    void aWideHeaderIsRejectedWithItsDriftBounded() {
        TestLake lake = new TestLake(tempDir);
        RunValidated run = lake.validator().validate(lake.land("wide.csv", utf8(columns(5_000))));

        assertThat(run.fileRejection().code()).isEqualTo("TOO_MANY_COLUMNS");
        assertThat(run.fileRejection().message()).contains("5005 columns").contains("at most 1000");
        assertThat(run.drift().unknownColumns()).hasSize(RunValidator.DRIFT_NAMES_KEPT + 1)
                .startsWith("X0", "X1").endsWith("…and 4900 more");
    }

    @Test
    void anUnknownColumnNameOfAQuarterMegabyteIsCutInTheDrift() {
        TestLake lake = new TestLake(tempDir);
        String longName = "N".repeat(256 * 1024);
        RunValidated run = lake.validator().validate(lake.land("long-name.csv", utf8(HEADER + "," + longName + "\n" + ROW + ",x\n")));

        assertThat(run.outcome()).isEqualTo(RunValidated.OUTCOME_VALIDATED);
        assertThat(run.drift().unknownColumns()).containsExactly("N".repeat(128) + "…(262144 chars)");
        assertThat(EventCodec.encode(LakeEvents.runValidated(run)).length()).isLessThan(SQS_MAX_MESSAGE_BYTES);
    }

    /** A header of the contract's columns plus {@code extra} unknown ones, and one valid row. */
    private static String columns(int extra) {
        StringBuilder header = new StringBuilder(HEADER);
        StringBuilder row = new StringBuilder(ROW);
        for (int i = 0; i < extra; i++) {
            header.append(",X").append(i);
            row.append(",v");
        }
        return header + "\n" + row + "\n";
    }

    @Test
    void bronzeChangedAfterIngestIsACheckSumMismatchAndNothingIsPublished() {
        TestLake lake = new TestLake(tempDir);
        byte[] original = utf8(HEADER + "\n" + ROW + "\n");
        FileLanded landed = lake.land("changed.csv", original);
        byte[] tampered = utf8(HEADER + "\n" + ROW.replace("1.00", "9.00") + "\n");
        lake.store.replace(landed.bronze(), tampered, "text/csv");

        RunValidated run = lake.validator().validate(landed);

        assertThat(run.outcome()).isEqualTo(RunValidated.OUTCOME_FILE_REJECTED);
        assertThat(run.fileRejection().code()).isEqualTo("CHECKSUM_MISMATCH");
        assertThat(lake.keysUnder("silver/mortgages/transactions/year=")).isEmpty();
    }

    // ---- row-level cases ---------------------------------------------------------------------------

    enum Layer { SILVER, QUARANTINE }

    static Stream<Arguments> rowCases() {
        String digits10k = "1".repeat(10_000);
        return Stream.of(
                // text that spreadsheets would execute is data: kept verbatim, never escaped or altered
                row("formula =HYPERLINK kept verbatim", "T1,\"=HYPERLINK(\"\"http://x.example\"\",\"\"pay\"\")\",1.00,EUR,2024-01-05T10:00:00Z",
                        Layer.SILVER),
                row("formula +1+1 kept verbatim", "T1,+1+1,1.00,EUR,2024-01-05T10:00:00Z", Layer.SILVER),
                row("formula -2+3 kept verbatim", "T1,-2+3,1.00,EUR,2024-01-05T10:00:00Z", Layer.SILVER),
                row("formula @SUM kept verbatim", "T1,@SUM(A1:A9),1.00,EUR,2024-01-05T10:00:00Z", Layer.SILVER),
                row("DDE payload kept verbatim", "T1,\"=cmd|' /C calc'!A0\",1.00,EUR,2024-01-05T10:00:00Z", Layer.SILVER),
                row("SQL text kept verbatim", "T1,'; DROP TABLE silver;--,1.00,EUR,2024-01-05T10:00:00Z", Layer.SILVER),
                row("HTML kept verbatim", "T1,<script>alert(1)</script>,1.00,EUR,2024-01-05T10:00:00Z", Layer.SILVER),
                row("formula as amount", "T1,C1,=1+1,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "AMOUNT_FORMAT"),
                row("tab-prefixed formula", "T1,\"\t=1+1\",1.00,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "WHITESPACE"),
                // invisible characters inside identifiers
                row("right-to-left override in CustomerID", "T1,C\u202E1,1.00,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE,
                        "CONTROL_CHARACTER"),
                row("left-to-right isolate in TransactionID", "T\u20661,C1,1.00,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE,
                        "CONTROL_CHARACTER"),
                row("Arabic letter mark in CustomerID", "T1,C\u061C1,1.00,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "CONTROL_CHARACTER"),
                row("zero-width space in TransactionID", "T\u200B1,C1,1.00,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE,
                        "CONTROL_CHARACTER"),
                row("byte order mark inside CustomerID", "T1,C\uFEFF1,1.00,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE,
                        "CONTROL_CHARACTER"),
                row("NUL inside CustomerID", "T1,C\u00001,1.00,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "CONTROL_CHARACTER"),
                row("DEL inside CustomerID", "T1,C\u007F1,1.00,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "CONTROL_CHARACTER"),
                row("C1 control inside CustomerID", "T1,C\u00851,1.00,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "CONTROL_CHARACTER"),
                row("escape sequence inside CustomerID", "T1,C\u001B[31m1,1.00,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE,
                        "CONTROL_CHARACTER"),
                row("right-to-left script is text", "T1,عميل,1.00,EUR,2024-01-05T10:00:00Z", Layer.SILVER),
                row("emoji and combining marks are text", "T1,Zoe\u0308\uD83D\uDC4D,1.00,EUR,2024-01-05T10:00:00Z", Layer.SILVER),
                // amounts
                row("10,000-digit amount", "T1,C1," + digits10k + ",EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "AMOUNT_PRECISION"),
                row("10,000 decimal places", "T1,C1,0." + digits10k + ",EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "AMOUNT_SCALE"),
                row("100,000-digit amount (over the row limit)", "T1,C1," + "9".repeat(100_000) + ",EUR,2024-01-05T10:00:00Z",
                        Layer.QUARANTINE, "ROW_TOO_LARGE"),
                row("negative zero", "T1,C1,-0.00,EUR,2024-01-05T10:00:00Z", Layer.SILVER),
                row("leading zeros", "T1,C1,000000000000000000001.00,EUR,2024-01-05T10:00:00Z", Layer.SILVER),
                row("no digit before the point", "T1,C1,.50,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "AMOUNT_FORMAT"),
                row("underscore digit separator", "T1,C1,1_000.00,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "AMOUNT_FORMAT"),
                row("Arabic-Indic digits", "T1,C1,\u0661\u0660.\u0660\u0660,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "AMOUNT_FORMAT"),
                row("full-width digits", "T1,C1,\uFF11\uFF10.\uFF10\uFF10,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "AMOUNT_FORMAT"),
                row("hexadecimal amount", "T1,C1,0x10,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "AMOUNT_FORMAT"),
                // currencies
                row("full-width currency", "T1,C1,1.00,\uFF25\uFF35\uFF32,2024-01-05T10:00:00Z", Layer.QUARANTINE, "CURRENCY_FORMAT"),
                row("Cyrillic homoglyph in currency", "T1,C1,1.00,\u0415UR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "CURRENCY_FORMAT"),
                row("currency symbol", "T1,C1,1.00,€,2024-01-05T10:00:00Z", Layer.QUARANTINE, "CURRENCY_FORMAT"),
                // timestamps
                row("leap second", "T1,C1,1.00,EUR,2016-12-31T23:59:60Z", Layer.QUARANTINE, "TIMESTAMP_FORMAT"),
                row("year 0000", "T1,C1,1.00,EUR,0000-01-01T00:00:00Z", Layer.QUARANTINE, "TIMESTAMP_TOO_EARLY"),
                row("year 9999", "T1,C1,1.00,EUR,9999-12-31T23:59:59Z", Layer.QUARANTINE, "TIMESTAMP_IN_FUTURE"),
                row("year +10000", "T1,C1,1.00,EUR,+10000-01-01T00:00:00Z", Layer.QUARANTINE, "TIMESTAMP_IN_FUTURE"),
                row("offset +14:00", "T1,C1,1.00,EUR,2024-01-05T10:00:00+14:00", Layer.SILVER),
                row("offset -12:00", "T1,C1,1.00,EUR,2024-01-05T10:00:00-12:00", Layer.SILVER),
                // -00:00 (RFC 3339: UTC known, local offset unknown) names the same instant as Z
                row("offset -00:00", "T1,C1,1.00,EUR,2024-01-05T10:00:00-00:00", Layer.SILVER),
                // ISO-8601 offsets run to +-18:00; the instant is exact, whatever zones exist today
                row("offset +15:00 (no zone uses it)", "T1,C1,1.00,EUR,2024-01-05T10:00:00+15:00", Layer.SILVER),
                row("offset +18:01 (beyond ISO-8601)", "T1,C1,1.00,EUR,2024-01-05T10:00:00+18:01", Layer.QUARANTINE, "TIMESTAMP_FORMAT"),
                row("offset without colon", "T1,C1,1.00,EUR,2024-01-05T10:00:00+0530", Layer.QUARANTINE, "TIMESTAMP_FORMAT"),
                // RFC 3339 allows lower-case t and z
                row("lower-case t and z", "T1,C1,1.00,EUR,2024-01-05t10:00:00z", Layer.SILVER),
                row("space instead of T", "T1,C1,1.00,EUR,2024-01-05 10:00:00Z", Layer.QUARANTINE, "TIMESTAMP_FORMAT"),
                row("date without time", "T1,C1,1.00,EUR,2024-01-05", Layer.QUARANTINE, "TIMESTAMP_FORMAT"),
                row("RFC 1123 date", "T1,C1,1.00,EUR,\"Fri, 05 Jan 2024 10:00:00 GMT\"", Layer.QUARANTINE, "TIMESTAMP_FORMAT"),
                row("hour 24", "T1,C1,1.00,EUR,2024-01-05T24:00:00Z", Layer.QUARANTINE, "TIMESTAMP_FORMAT"),
                row("epoch seconds", "T1,C1,1.00,EUR,1704448800", Layer.QUARANTINE, "TIMESTAMP_FORMAT"),
                // shapes
                row("only an empty quoted field as id", "\"\",C1,1.00,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "REQUIRED"),
                row("60,000-character TransactionID (under the row limit)", "T" + "1".repeat(60_000) + ",C1,1.00,EUR,2024-01-05T10:00:00Z",
                        Layer.SILVER));
    }

    private static Arguments row(String name, String line, Layer layer, String... codes) {
        return arguments(name, line, layer, List.of(codes));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rowCases")
    void rowCase(String name, String line, Layer layer, List<String> codes) {
        TestLake lake = new TestLake(tempDir);
        String file = HEADER + "\nB0,C0,1.00,EUR,2024-01-01T00:00:00Z\n" + line + "\n";
        RunValidated run = lake.validator().validate(lake.land("t.csv", file.getBytes(StandardCharsets.UTF_8)));

        assertThat(run.outcome()).isEqualTo(RunValidated.OUTCOME_VALIDATED);
        assertThat(run.counts().balanced()).isTrue();
        assertThat(run.counts()).isEqualTo(new RunValidated.Counts(2, layer == Layer.SILVER ? 2 : 1, layer == Layer.QUARANTINE ? 1 : 0, 0));
        if (layer == Layer.QUARANTINE) {
            List<Map<String, Object>> rows = lake.query("SELECT error_codes::VARCHAR AS codes FROM read_parquet(?)", run.quarantine().location());
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).get("codes").toString().replace("'", "")).isEqualTo(codes.toString());
        } else {
            // the stored values are exactly the ones read: nothing escaped, trimmed or normalised
            String[] expected = parseCustomerAndId(line);
            Location part = silverPart(lake);
            List<Map<String, Object>> rows = lake.query("SELECT transaction_id, customer_id FROM read_parquet(?) WHERE transaction_id <> 'B0'", part);
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).get("transaction_id")).isEqualTo(expected[0]);
            assertThat(rows.get(0).get("customer_id")).isEqualTo(expected[1]);
        }
    }

    private static Location silverPart(TestLake lake) {
        String key = lake.keysUnder("silver/mortgages/transactions/year=").stream().filter(k -> k.endsWith(".parquet")).findFirst()
                .orElseThrow();
        return new Location(TestLake.BUCKET, key);
    }

    /** The first two CSV fields of {@code line}, unquoted. */
    private static String[] parseCustomerAndId(String line) {
        try (de.siegmar.fastcsv.reader.CsvReader<de.siegmar.fastcsv.reader.CsvRecord> csv =
                     de.siegmar.fastcsv.reader.CsvReader.builder().ofCsvRecord(line)) {
            de.siegmar.fastcsv.reader.CsvRecord record = csv.iterator().next();
            return new String[] {record.getField(0), record.getField(1)};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- generators --------------------------------------------------------------------------------

    private static Arguments file(String name, byte[] bytes, String rejection, long read, long silver, long quarantined) {
        return arguments(name, bytes, rejection, read, silver, quarantined);
    }

    /** A gzip stream of a valid header and row followed by {@code zeros} zero characters (compresses about 1000:1). */
    private static byte[] gzipBomb(int zeros) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 64 * 1024)) {
            gz.write(utf8(HEADER + "\n" + ROW + "\n"));
            byte[] block = new byte[1024 * 1024];
            Arrays.fill(block, (byte) '0');
            for (int written = 0; written < zeros; written += block.length) {
                gz.write(block);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] content) {
        return TestLake.gzip(content);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
