package dev.mortgagelake.publish.check;

import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.publish.SilverRunFixture;
import dev.mortgagelake.storage.FaultInjectingObjectStore;
import dev.mortgagelake.storage.FaultInjectingObjectStore.Call;
import dev.mortgagelake.storage.FileSystemObjectStore;
import dev.mortgagelake.storage.StorageException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;

import static dev.mortgagelake.publish.SilverRunFixture.LAYOUT;
import static dev.mortgagelake.publish.SilverRunFixture.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromotionChecksTest {

    @TempDir
    Path dir;

    private FileSystemObjectStore disk;
    private FaultInjectingObjectStore store;
    private SilverRunFixture silver;
    private PromotionChecks checks;

    @BeforeEach
    void setUp() {
        disk = new FileSystemObjectStore(dir);
        store = new FaultInjectingObjectStore(disk);
        silver = new SilverRunFixture(disk);
        checks = new PromotionChecks(store, LAYOUT, SCHEMA);
    }

    @Test
    void aCompleteRunPassesWithItsVerifiedFiles() {
        RunValidated run = silver.writeRun(SilverRunFixture.newRun(), "2026-01", "2026-02");

        PromotionCheckResult result = checks.check(run);

        assertThat(result.failures()).isEmpty();
        assertThat(result.passed()).isTrue();
        assertThat(result.files()).containsOnlyKeys("2026-01", "2026-02");
        assertThat(result.rows()).isEqualTo(10);
        assertThat(store.calls(Call.OPEN)).isEqualTo(4);
    }

    @Test
    void everyProblemOfARunIsReportedNotJustTheFirst() throws Exception {
        RunId runId = SilverRunFixture.newRun();
        RunValidated.Partition january = silver.writePartition(runId, "2026-01", true, 3, 2);
        RunValidated.Partition february = silver.writePartition(runId, "2026-02", true, 4);
        YearMonth jan = YearMonth.of(2026, 1);
        // One file is truncated, another is deleted behind the lake's back, and the counts do not balance.
        disk.replace(LAYOUT.silverPart(jan, SCHEMA, runId, 0), "short".getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        Files.delete(disk.pathOf(LAYOUT.silverPart(YearMonth.of(2026, 2), SCHEMA, runId, 0)));
        RunValidated run = SilverRunFixture.withCounts(SilverRunFixture.runValidated(runId, 1, List.of(january, february)),
                new RunValidated.Counts(20, 9, 1, 0), List.of(january, february));

        PromotionCheckResult result = checks.check(run);

        assertThat(result.passed()).isFalse();
        assertThat(result.files()).isEmpty();
        assertThat(result.failures()).extracting(CheckFailure::code)
                .containsExactlyInAnyOrder(CheckCode.COUNTS_UNBALANCED, CheckCode.FILE_SIZE_MISMATCH, CheckCode.FILE_MISSING);
    }

    @Test
    void missingFileAndForeignManifestAreHeld() {
        RunId runId = SilverRunFixture.newRun();
        RunId other = SilverRunFixture.newRun();
        RunValidated.Partition partition = silver.writePartition(runId, "2026-01", true, 3);
        // Rewrite the manifest: it now claims another run and lists a file that was never written.
        String manifest = new String(disk.read(partition.manifest()), StandardCharsets.UTF_8)
                .replace(runId.value() + "/part-00000", runId.value() + "/part-00009")
                .replace("\"run_id\":\"" + runId.value() + "\"", "\"run_id\":\"" + other.value() + "\"");
        disk.replace(partition.manifest(), manifest.getBytes(StandardCharsets.UTF_8), "application/json");

        PromotionCheckResult result = checks.check(SilverRunFixture.runValidated(runId, 0, List.of(partition)));

        assertThat(result.failures()).extracting(CheckFailure::code)
                .containsExactlyInAnyOrder(CheckCode.MANIFEST_RUN_MISMATCH, CheckCode.FILE_MISSING);
    }

    @Test
    void unreadableManifestAndRejectedFileAreReasonsNotExceptions() {
        RunId runId = SilverRunFixture.newRun();
        RunValidated.Partition partition = silver.writePartition(runId, "2026-01", true, 3);
        disk.replace(partition.manifest(), "{\"run_id\":".getBytes(StandardCharsets.UTF_8), "application/json");
        RunValidated valid = SilverRunFixture.runValidated(runId, 0, List.of(partition));
        RunValidated rejected = new RunValidated(valid.runId(), valid.dataset(), "v2", valid.runKind(), valid.ingestDate(),
                valid.bronze(), valid.inputSha256(), RunValidated.OUTCOME_FILE_REJECTED, valid.counts(), valid.partitions(), null,
                new RunValidated.FileRejection("BAD_GZIP", "not in gzip format", null), null, null, valid.validatedAt());

        PromotionCheckResult result = checks.check(rejected);

        assertThat(result.failures()).extracting(CheckFailure::code).containsExactlyInAnyOrder(
                CheckCode.OUTCOME_NOT_VALIDATED, CheckCode.SCHEMA_VERSION_MISMATCH, CheckCode.MANIFEST_UNREADABLE);
        assertThat(result.failures().get(0).message()).contains("FILE_REJECTED", "BAD_GZIP");
    }

    @Test
    void aManifestOutsideTheRunsPartitionIsRefused() {
        RunId runId = SilverRunFixture.newRun();
        RunId other = SilverRunFixture.newRun();
        RunValidated.Partition foreign = silver.writePartition(other, "2026-01", true, 3);

        PromotionCheckResult result = checks.check(SilverRunFixture.runValidated(runId, 0, List.of(foreign)));

        assertThat(result.failures()).extracting(CheckFailure::code)
                .containsExactlyInAnyOrder(CheckCode.MANIFEST_LOCATION_UNEXPECTED, CheckCode.MANIFEST_RUN_MISMATCH);
    }

    @Test
    void storageTroubleIsNotADataProblemAndPropagates() {
        RunValidated run = silver.writeRun(SilverRunFixture.newRun(), "2026-01");
        store.failBefore(Call.HEAD, key -> key.endsWith("_SUCCESS"), true, 1);

        assertThatThrownBy(() -> checks.check(run)).isInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(((StorageException) e).retryable()).isTrue());
    }
}
