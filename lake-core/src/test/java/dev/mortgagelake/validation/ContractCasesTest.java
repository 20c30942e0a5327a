package dev.mortgagelake.validation;

import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.RunValidated;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static dev.mortgagelake.validation.RunValidatorTest.HEADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The validation contract as a table: every row-level and file-level case with its exact outcome (layer and codes),
 * and rows in = Silver + Quarantine + Condemned for each.
 */
class ContractCasesTest {

    private static final String BASE = "B0,C0,1.00,EUR,2024-01-01T00:00:00Z";

    enum Layer { SILVER, QUARANTINE, CONDEMNED }

    @TempDir
    Path tempDir;

    static Stream<Arguments> rowCases() {
        return Stream.of(
                row("plain valid row", "T1,C1,10.00,EUR,2024-01-05T10:00:00Z", Layer.SILVER),
                row("negative amount", "T1,C1,-5.00,EUR,2024-01-05T10:00:00Z", Layer.SILVER),
                row("integer amount", "T1,C1,5,EUR,2024-01-05T10:00:00Z", Layer.SILVER),
                row("one decimal", "T1,C1,5.5,EUR,2024-01-05T10:00:00Z", Layer.SILVER),
                row("zero", "T1,C1,0.00,EUR,2024-01-05T10:00:00Z", Layer.SILVER),
                row("largest DECIMAL(18,2)", "T1,C1,9999999999999999.99,EUR,2024-01-05T10:00:00Z", Layer.SILVER),
                row("offset timestamp", "T1,C1,1.00,USD,2024-01-05T10:00:00+02:00", Layer.SILVER),
                row("microsecond timestamp", "T1,C1,1.00,GBP,2024-01-05T10:00:00.123456Z", Layer.SILVER),
                row("the epoch", "T1,C1,1.00,EUR,1970-01-01T00:00:00Z", Layer.SILVER),
                row("quoted fields", "\"T1\",\"C1\",\"1.00\",\"EUR\",\"2024-01-05T10:00:00Z\"", Layer.SILVER),
                row("comma inside quotes", "T1,\"C,1\",1.00,EUR,2024-01-05T10:00:00Z", Layer.SILVER),
                row("escaped quote", "T1,\"C\"\"1\",1.00,EUR,2024-01-05T10:00:00Z", Layer.SILVER),
                row("newline inside quotes", "T1,\"C\n1\",1.00,EUR,2024-01-05T10:00:00Z", Layer.SILVER),
                row("non-ASCII customer", "T1,Zoë,1.00,EUR,2024-01-05T10:00:00Z", Layer.SILVER),
                row("empty TransactionID", ",C1,1.00,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "REQUIRED"),
                row("empty CustomerID", "T1,,1.00,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "REQUIRED"),
                row("empty amount", "T1,C1,,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "REQUIRED"),
                row("empty currency", "T1,C1,1.00,,2024-01-05T10:00:00Z", Layer.QUARANTINE, "REQUIRED"),
                row("empty timestamp", "T1,C1,1.00,EUR,", Layer.QUARANTINE, "REQUIRED"),
                row("blank customer", "T1,  ,1.00,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "REQUIRED", "WHITESPACE"),
                row("leading space in id", " T1,C1,1.00,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "WHITESPACE"),
                row("trailing tab in amount", "T1,C1,1.00\t,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "WHITESPACE"),
                row("three decimals", "T1,C1,1.001,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "AMOUNT_SCALE"),
                row("exponent", "T1,C1,1e5,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "AMOUNT_FORMAT"),
                row("NaN", "T1,C1,NaN,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "AMOUNT_FORMAT"),
                row("Infinity", "T1,C1,Infinity,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "AMOUNT_FORMAT"),
                row("thousands separator", "T1,C1,\"1,000.00\",EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "AMOUNT_FORMAT"),
                row("currency symbol", "T1,C1,€10.00,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "AMOUNT_FORMAT"),
                row("dollar sign", "T1,C1,$10,USD,2024-01-05T10:00:00Z", Layer.QUARANTINE, "AMOUNT_FORMAT"),
                row("plus sign", "T1,C1,+10.00,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "AMOUNT_FORMAT"),
                row("trailing dot", "T1,C1,10.,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "AMOUNT_FORMAT"),
                row("17 integer digits", "T1,C1,12345678901234567.00,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE, "AMOUNT_PRECISION"),
                row("lower-case currency", "T1,C1,1.00,eur,2024-01-05T10:00:00Z", Layer.QUARANTINE, "CURRENCY_FORMAT"),
                row("four-letter currency", "T1,C1,1.00,EURO,2024-01-05T10:00:00Z", Layer.QUARANTINE, "CURRENCY_FORMAT"),
                row("currency off the allow-list", "T1,C1,1.00,XYZ,2024-01-05T10:00:00Z", Layer.QUARANTINE, "CURRENCY_NOT_ALLOWED"),
                row("timestamp without zone", "T1,C1,1.00,EUR,2024-01-05T10:00:00", Layer.QUARANTINE, "TIMESTAMP_NO_ZONE"),
                row("not a timestamp", "T1,C1,1.00,EUR,yesterday", Layer.QUARANTINE, "TIMESTAMP_FORMAT"),
                row("impossible date", "T1,C1,1.00,EUR,2024-02-30T10:00:00Z", Layer.QUARANTINE, "TIMESTAMP_FORMAT"),
                row("nanoseconds", "T1,C1,1.00,EUR,2024-01-05T10:00:00.123456789Z", Layer.QUARANTINE, "TIMESTAMP_PRECISION"),
                row("before 1970", "T1,C1,1.00,EUR,1969-12-31T23:59:59Z", Layer.QUARANTINE, "TIMESTAMP_TOO_EARLY"),
                row("far future", "T1,C1,1.00,EUR,2099-01-01T00:00:00Z", Layer.QUARANTINE, "TIMESTAMP_IN_FUTURE"),
                row("too many fields", "T1,C1,1.00,EUR,2024-01-05T10:00:00Z,extra", Layer.QUARANTINE, "FIELD_COUNT"),
                row("too few fields", "T1,C1,1.00,EUR", Layer.QUARANTINE, "FIELD_COUNT"),
                row("several errors", "T1,C1,1.234,eur,2024-01-05T10:00:00", Layer.QUARANTINE,
                        "AMOUNT_SCALE", "CURRENCY_FORMAT", "TIMESTAMP_NO_ZONE"),
                row("row over the size limit", "T1," + "C".repeat(70_000) + ",1.00,EUR,2024-01-05T10:00:00Z", Layer.QUARANTINE,
                        "ROW_TOO_LARGE"),
                row("exact duplicate of an earlier row", BASE, Layer.CONDEMNED, "DUPLICATE_EXACT"),
                row("same content written differently", "B0,C0,1.0,EUR,2024-01-01T01:00:00+01:00", Layer.CONDEMNED,
                        "DUPLICATE_EXACT"),
                row("same id, other amount", "B0,C0,1.01,EUR,2024-01-01T00:00:00Z", Layer.QUARANTINE, "DUPLICATE_ID_CONFLICT"),
                row("same id, other customer", "B0,C9,1.00,EUR,2024-01-01T00:00:00Z", Layer.QUARANTINE, "DUPLICATE_ID_CONFLICT"));
    }

    private static Arguments row(String name, String line, Layer layer, String... codes) {
        return arguments(name, line, layer, List.of(codes));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rowCases")
    void rowCase(String name, String line, Layer layer, List<String> codes) {
        TestLake lake = new TestLake(tempDir);
        String file = HEADER + "\n" + BASE + "\n" + line + "\n";
        RunValidated run = lake.validator().validate(lake.land("t.csv", file.getBytes(StandardCharsets.UTF_8)));

        assertThat(run.outcome()).isEqualTo(RunValidated.OUTCOME_VALIDATED);
        assertThat(run.counts()).isEqualTo(new RunValidated.Counts(2, layer == Layer.SILVER ? 2 : 1,
                layer == Layer.QUARANTINE ? 1 : 0, layer == Layer.CONDEMNED ? 1 : 0));
        assertThat(run.counts().balanced()).isTrue();
        if (layer == Layer.QUARANTINE) {
            assertThat(codesOf(lake, run.quarantine().location())).isEqualTo(codes.toString());
        } else if (layer == Layer.CONDEMNED) {
            assertThat(codesOf(lake, run.condemned().location())).isEqualTo(codes.toString());
            assertThat(run.quarantine()).isNull();
        } else {
            assertThat(run.quarantine()).isNull();
            assertThat(run.condemned()).isNull();
        }
    }

    private static String codesOf(TestLake lake, dev.mortgagelake.storage.Location file) {
        List<java.util.Map<String, Object>> rows = lake.query("SELECT error_codes::VARCHAR AS codes FROM read_parquet(?)", file);
        assertThat(rows).hasSize(1);
        return rows.get(0).get("codes").toString().replace("'", "");
    }

    static Stream<Arguments> fileCases() {
        String row = "T1,C1,1.00,EUR,2024-01-01T00:00:00Z";
        byte[] valid = utf8(HEADER + "\n" + row + "\n");
        byte[] gzip = TestLake.gzip(valid);
        byte[] corrupt = TestLake.gzip(utf8((HEADER + "\n" + row + "\n").repeat(50)));
        for (int i = 20; i < corrupt.length - 10; i += 3) {
            corrupt[i] ^= 0x5A;
        }
        ByteArrayOutputStream latin1 = new ByteArrayOutputStream();
        latin1.writeBytes(utf8(HEADER + "\nT1,"));
        latin1.write(0xE9);
        latin1.writeBytes(utf8(",1.00,EUR,2024-01-01T00:00:00Z\n"));
        StringBuilder many = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < 500; i++) {
            many.append('T').append(i).append(",C1,1.00,EUR,2024-01-01T00:00:00Z\n");
        }
        ValidationConfig config = ValidationConfig.DEFAULT;
        return Stream.of(
                file("empty file", new byte[0], config, "EMPTY_FILE"),
                file("blank lines only", utf8("\n\n\r\n"), config, "EMPTY_FILE"),
                file("empty gzip", TestLake.gzip(new byte[0]), config, "EMPTY_FILE"),
                file("header only", utf8(HEADER + "\n"), config, "HEADER_ONLY"),
                file("missing column", utf8("TransactionID,CustomerID,TransactionAmount,Currency\nT1,C1,1.00,EUR\n"), config,
                        "MISSING_COLUMNS"),
                file("header in another case", utf8(HEADER.toLowerCase() + "\n" + row + "\n"), config, "MISSING_COLUMNS"),
                file("duplicate contract column", utf8(HEADER + ",Currency\n" + row + ",EUR\n"), config, "DUPLICATE_COLUMNS"),
                file("duplicate unknown column", utf8(HEADER + ",Note,Note\n" + row + ",a,b\n"), config, "DUPLICATE_COLUMNS"),
                file("semicolon-separated", utf8(HEADER.replace(',', ';') + "\n" + row.replace(',', ';') + "\n"), config,
                        "WRONG_DELIMITER"),
                file("tab-separated", utf8(HEADER.replace(',', '\t') + "\n" + row.replace(',', '\t') + "\n"), config,
                        "WRONG_DELIMITER"),
                file("corrupt gzip", corrupt, config, "CORRUPT_GZIP"),
                file("truncated gzip", Arrays.copyOf(gzip, gzip.length - 12), config, "CORRUPT_GZIP"),
                file("Latin-1 bytes", latin1.toByteArray(), config, "NOT_UTF8"),
                file("UTF-16 byte order mark", new byte[] {(byte) 0xFF, (byte) 0xFE, 'T', 0}, config, "NOT_UTF8"),
                file("unclosed quote", utf8(HEADER + "\nT1,\"C1,1.00,EUR,2024-01-01T00:00:00Z\n"), config, "MALFORMED_CSV"),
                file("record beyond the hard ceiling", utf8(HEADER + "\nT1," + "C".repeat(400) + ",1.00,EUR,2024-01-01T00:00:00Z\n"),
                        config.withMaxRecordChars(256), "RECORD_TOO_LARGE"),
                file("gzip inflating beyond the size limit", TestLake.gzip(utf8(many.toString())),
                        config.withDecompressionLimits(4096, 200), "DECOMPRESSION_LIMIT"),
                file("gzip inflating beyond the ratio limit (a bomb)", TestLake.gzip(utf8(HEADER + "\n" + (row + "\n").repeat(40_000))),
                        config, "DECOMPRESSION_LIMIT"),
                file("CRLF line ends", utf8(HEADER + "\r\n" + row + "\r\n"), config, null),
                file("UTF-8 byte order mark", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, valid), config, null),
                file("gzip", gzip, config, null),
                file("no newline at the end", utf8(HEADER + "\n" + row), config, null),
                file("unknown extra column (drift)", utf8(HEADER + ",Channel\n" + row + ",web\n"), config, null));
    }

    private static Arguments file(String name, byte[] bytes, ValidationConfig config, String rejection) {
        return arguments(name, bytes, config, rejection);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileCases")
    void fileCase(String name, byte[] bytes, ValidationConfig config, String rejection) {
        TestLake lake = new TestLake(tempDir);
        FileLanded landed = lake.land("t.csv", bytes);
        RunValidated run = lake.validator(lake.store, config).validate(landed);

        assertThat(run.counts().balanced()).isTrue();
        if (rejection == null) {
            assertThat(run.outcome()).isEqualTo(RunValidated.OUTCOME_VALIDATED);
            assertThat(run.counts()).isEqualTo(new RunValidated.Counts(1, 1, 0, 0));
        } else {
            assertThat(run.outcome()).isEqualTo(RunValidated.OUTCOME_FILE_REJECTED);
            assertThat(run.fileRejection().code()).isEqualTo(rejection);
            assertThat(run.counts()).isEqualTo(new RunValidated.Counts(0, 0, 0, 0));
            assertThat(lake.store.head(run.fileRejection().record())).isPresent();
            assertThat(lake.store.read(landed.bronze())).isEqualTo(bytes);
        }
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
