package dev.mortgagelake.validation;

import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.storage.Location;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static dev.mortgagelake.validation.RunValidatorTest.HEADER;
import static org.assertj.core.api.Assertions.assertThat;

/** Files that cannot be read as the contract: rejected whole, recorded, never thrown, nothing else written. */
class FileRejectionTest {

    private static final String ROW = "T1,C1,1.00,EUR,2024-01-01T00:00:00Z";

    @TempDir
    Path tempDir;

    private TestLake lake;

    private RunValidated reject(String fileName, byte[] bytes, FileRejectionCode expected) {
        return reject(lake.land(fileName, bytes), expected, ValidationConfig.DEFAULT);
    }

    private RunValidated reject(FileLanded landed, FileRejectionCode expected, ValidationConfig config) {
        RunValidated result = lake.validator(lake.store, config).validate(landed);
        RunId runId = RunId.of(landed.runId());
        Location recordLocation = lake.layout.fileRejection(TestLake.INGEST_DATE, runId);

        assertThat(result.outcome()).isEqualTo(RunValidated.OUTCOME_FILE_REJECTED);
        assertThat(result.counts()).isEqualTo(new RunValidated.Counts(0, 0, 0, 0));
        assertThat(result.partitions()).isEmpty();
        assertThat(result.quarantine()).isNull();
        assertThat(result.fileRejection().code()).isEqualTo(expected.name());
        assertThat(result.fileRejection().record()).isEqualTo(recordLocation);
        assertThat(result.runKind()).isEqualTo(landed.runKind());
        assertThat(result.supersedes()).isEqualTo(landed.supersedes());

        FileRejectionRecord record = FileRejectionRecord.fromJson(lake.store.read(recordLocation));
        assertThat(record.code()).isEqualTo(expected);
        assertThat(record.message()).isEqualTo(result.fileRejection().message()).isNotBlank();
        assertThat(record.bronze()).isEqualTo(landed.bronze());
        assertThat(record.runId()).isEqualTo(landed.runId());
        assertThat(record.ingestDate()).isEqualTo(TestLake.INGEST_DATE);
        assertThat(record.inputSha256()).isEqualTo(landed.sha256());
        assertThat(record.rejectedAt()).isEqualTo(TestLake.NOW);
        assertThat(record.drift()).isEqualTo(result.drift());

        assertThat(lake.keysUnder("silver/mortgages/transactions/year=")).noneMatch(key -> key.contains(runId.value()));
        assertThat(lake.keysUnder(lake.layout.quarantineRunPrefix(TestLake.INGEST_DATE, runId))).containsExactly(recordLocation.key());
        assertThat(lake.store.head(lake.layout.validationRecord(runId))).isPresent();
        assertThat(lake.workDirIsEmpty()).isTrue();
        return result;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void corruptGzipBody() {
        lake = new TestLake(tempDir);
        byte[] gzip = TestLake.gzip(utf8((HEADER + "\n" + ROW + "\n").repeat(50)));
        for (int i = 20; i < gzip.length - 10; i += 3) {
            gzip[i] ^= 0x5A;
        }
        RunValidated result = reject("transactions.csv", gzip, FileRejectionCode.CORRUPT_GZIP);
        assertThat(result.fileRejection().message()).contains("gzip");
    }

    @Test
    void truncatedGzip() {
        lake = new TestLake(tempDir);
        byte[] gzip = TestLake.gzip(utf8(HEADER + "\n" + ROW + "\n"));
        RunValidated result = reject("transactions.csv.gz", Arrays.copyOf(gzip, gzip.length - 12), FileRejectionCode.CORRUPT_GZIP);
        assertThat(result.fileRejection().message()).contains("corrupt or truncated");
    }

    @Test
    void gzipMagicWithoutAGzipHeader() {
        lake = new TestLake(tempDir);
        RunValidated result = reject("transactions.csv.gz", new byte[] {0x1F, (byte) 0x8B, 0x01, 0x00}, FileRejectionCode.CORRUPT_GZIP);
        assertThat(result.fileRejection().message()).startsWith("the file starts like gzip but cannot be decompressed");
    }

    @Test
    void missingColumn() {
        lake = new TestLake(tempDir);
        RunValidated result = reject("missing.csv",
                utf8("TransactionID,CustomerID,TransactionAmount,TransactionTimestamp\nT1,C1,1.00,2024-01-01T00:00:00Z\n"),
                FileRejectionCode.MISSING_COLUMNS);
        assertThat(result.drift()).isEqualTo(new RunValidated.Drift(List.of(), List.of("Currency")));
        assertThat(result.fileRejection().message()).startsWith("missing required column(s) [Currency]");
    }

    @Test
    void headerNamesMatchExactlyAndNearMatchesAreNamed() {
        lake = new TestLake(tempDir);
        RunValidated result = reject("near.csv",
                utf8("TransactionID,CustomerID,TransactionAmount, currency,TransactionTimestamp\n" + ROW + "\n"),
                FileRejectionCode.MISSING_COLUMNS);
        assertThat(result.drift()).isEqualTo(new RunValidated.Drift(List.of(" currency"), List.of("Currency")));
        assertThat(result.fileRejection().message()).contains("' currency' would match 'Currency'");
    }

    @Test
    void duplicatedColumn() {
        lake = new TestLake(tempDir);
        RunValidated result = reject("dup.csv", utf8(HEADER + ",Currency\n" + ROW + ",USD\n"), FileRejectionCode.DUPLICATE_COLUMNS);
        assertThat(result.fileRejection().message()).contains("[Currency]");
    }

    @Test
    void emptyFile() {
        lake = new TestLake(tempDir);
        reject("empty.csv", new byte[0], FileRejectionCode.EMPTY_FILE);
    }

    @Test
    void emptyGzipAndBlankLinesOnlyAreEmptyToo() {
        lake = new TestLake(tempDir);
        reject("empty.csv.gz", TestLake.gzip(new byte[0]), FileRejectionCode.EMPTY_FILE);
        reject("blank.csv", utf8("\n\r\n\n"), FileRejectionCode.EMPTY_FILE);
        reject("bom.csv", utf8("\uFEFF"), FileRejectionCode.EMPTY_FILE);
    }

    @Test
    void headerOnly() {
        lake = new TestLake(tempDir);
        reject("header.csv", utf8(HEADER + "\n"), FileRejectionCode.HEADER_ONLY);
        reject("header-blank.csv.gz", TestLake.gzip(utf8(HEADER + "\r\n\r\n")), FileRejectionCode.HEADER_ONLY);
    }

    @Test
    void notUtf8AfterManyGoodRows() {
        lake = new TestLake(tempDir);
        String good = (ROW + "\n").repeat(3_000);
        byte[] latin1 = (HEADER + "\n" + good + "T2,Ren\u00e9,1.00,EUR,2024-01-01T00:00:00Z\n").getBytes(StandardCharsets.ISO_8859_1);
        RunValidated result = reject("latin1.csv", latin1, FileRejectionCode.NOT_UTF8);
        assertThat(result.fileRejection().message()).startsWith("the content is not valid UTF-8 after line ");
        long before = FileRejectionRecord.fromJson(lake.store.read(result.fileRejection().record())).rowsReadBeforeFault();
        assertThat(before).isPositive().isLessThanOrEqualTo(3_000);
    }

    @Test
    void notUtf8InsideGzip() {
        lake = new TestLake(tempDir);
        byte[] latin1 = (HEADER + "\nT2,Ren\u00e9,1.00,EUR,2024-01-01T00:00:00Z\n").getBytes(StandardCharsets.ISO_8859_1);
        RunValidated result = reject("latin1.csv.gz", TestLake.gzip(latin1), FileRejectionCode.NOT_UTF8);
        assertThat(result.fileRejection().message()).contains("decompressed gzip stream");
    }

    @Test
    void utf16() {
        lake = new TestLake(tempDir);
        RunValidated result = reject("utf16.csv", (HEADER + "\n" + ROW + "\n").getBytes(StandardCharsets.UTF_16),
                FileRejectionCode.NOT_UTF8);
        assertThat(result.fileRejection().message()).contains("UTF-16");
    }

    @Test
    void unclosedQuote() {
        lake = new TestLake(tempDir);
        RunValidated result = reject("quote.csv", utf8(HEADER + "\n" + ROW + "\nT2,\"C2,1.00,EUR,2024-01-01T00:00:00Z\n" + ROW + "\n"),
                FileRejectionCode.MALFORMED_CSV);
        assertThat(result.fileRejection().message()).contains("line 3");
    }

    @Test
    void charactersAfterAClosingQuote() {
        lake = new TestLake(tempDir);
        reject("quote.csv", utf8(HEADER + "\nT2,\"C2\"x,1.00,EUR,2024-01-01T00:00:00Z\n"), FileRejectionCode.MALFORMED_CSV);
    }

    @Test
    void recordTooLarge() {
        lake = new TestLake(tempDir);
        FileLanded landed = lake.land("long.csv", utf8(HEADER + "\nT1," + "C".repeat(300) + ",1.00,EUR,2024-01-01T00:00:00Z\n"));
        RunValidated result = reject(landed, FileRejectionCode.RECORD_TOO_LARGE, ValidationConfig.DEFAULT.withMaxRecordChars(256));
        assertThat(result.fileRejection().message()).contains("limit 256 characters");
    }

    @Test
    void bronzeBytesThatDoNotMatchIngest() {
        lake = new TestLake(tempDir);
        FileLanded landed = lake.land("sum.csv", utf8(HEADER + "\n" + ROW + "\n"));
        FileLanded wrongSum = new FileLanded(landed.runId(), landed.dataset(), landed.schemaVersion(), landed.runKind(),
                landed.ingestDate(), landed.source(), landed.bronze(), "0".repeat(64), landed.sizeBytes(), landed.landedAt(),
                landed.supersedes());
        RunValidated result = reject(wrongSum, FileRejectionCode.CHECKSUM_MISMATCH, ValidationConfig.DEFAULT);
        assertThat(result.fileRejection().message()).contains("ingest recorded " + "0".repeat(64));
    }
}
