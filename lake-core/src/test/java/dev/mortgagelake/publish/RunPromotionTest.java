package dev.mortgagelake.publish;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.RunPromoted;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.publish.RunPromotion.Decision;
import dev.mortgagelake.publish.RunPromotion.Status;
import dev.mortgagelake.publish.audit.AuditPolicy;
import dev.mortgagelake.publish.check.CheckCode;
import dev.mortgagelake.publish.check.CheckFailure;
import dev.mortgagelake.publish.table.CommitPolicy;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.storage.FaultInjectingObjectStore;
import dev.mortgagelake.storage.FaultInjectingObjectStore.Call;
import dev.mortgagelake.storage.FileSystemObjectStore;
import dev.mortgagelake.storage.Location;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static dev.mortgagelake.publish.SilverRunFixture.LAYOUT;
import static dev.mortgagelake.publish.SilverRunFixture.NOW;
import static dev.mortgagelake.publish.SilverRunFixture.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;

class RunPromotionTest {

    private static final Clock CLOCK = Clock.fixed(NOW.plusSeconds(5), ZoneOffset.UTC);
    private static final CommitPolicy FAST = new CommitPolicy(16, Duration.ofMillis(1), Duration.ofMillis(20), 3);

    @TempDir
    Path dir;

    private FileSystemObjectStore disk;
    private FaultInjectingObjectStore store;
    private SilverRunFixture silver;

    @BeforeEach
    void setUp() {
        disk = new FileSystemObjectStore(dir);
        store = new FaultInjectingObjectStore(disk);
        silver = new SilverRunFixture(disk);
    }

    @AfterEach
    void noTemporaryObjectsLeft() throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList()).isEmpty();
        }
    }

    /** Integrity and commit behaviour; the audit gate is tested in AuditGateTest and HeldRunsTest. */
    private RunPromotion promotion() {
        return new RunPromotion(store, LAYOUT, SCHEMA, FAST, AuditPolicy.DISABLED, SilverChangeListener.NONE, CLOCK);
    }

    @Test
    void promotesACorrectRunAsOneAppendVersion() {
        RunId runId = SilverRunFixture.newRun();
        RunValidated run = silver.writeRun(runId, "2026-01", "2026-02");
        RunPromotion promotion = promotion();

        Decision decision = promotion.promote(run);

        assertThat(decision.status()).isEqualTo(Status.PROMOTED);
        assertThat(decision.newVersion()).isTrue();
        assertThat(decision.tableVersion()).isEqualTo(1);
        assertThat(decision.failures()).isEmpty();
        RunPromoted promoted = decision.promoted();
        assertThat(promoted.runId()).isEqualTo(runId.value());
        assertThat(promoted.table()).isEqualTo("silver/mortgages/transactions/_table/schema_v=v1/");
        assertThat(promoted.tableVersion()).isEqualTo(1);
        assertThat(promoted.partitions()).containsExactly("2026-01", "2026-02");
        assertThat(promoted.rows()).isEqualTo(10);
        assertThat(promoted.latest()).isEqualTo(new Location("lake-silver", "silver/mortgages/transactions/_table/schema_v=v1/_LATEST.json"));
        assertThat(promoted.promotedAt()).isEqualTo(CLOCK.instant());

        TableSnapshot snapshot = promotion.log().read(1);
        assertThat(snapshot.runIds()).containsExactly(runId.value());
        List<DataFile> files = snapshot.partitions().values().stream().flatMap(List::stream).toList();
        assertThat(files).hasSize(4);
        for (DataFile file : files) {
            byte[] bytes = disk.read(new Location("lake-silver", file.key()));
            assertThat(file.sizeBytes()).isEqualTo(bytes.length);
            assertThat(file.sha256()).isEqualTo(SilverRunFixture.sha256(bytes));
        }
        assertThat(decision.latest().tableVersion()).isEqualTo(1);
        assertThat(promotion.pointer().read().orElseThrow().runId()).isEqualTo(runId.value());
        assertThat(disk.head(promotion.heldRecord(runId.value()))).isEmpty();
    }

    @Test
    void aSecondRunAppendsAndThePointerFollows() {
        RunId first = SilverRunFixture.newRun();
        RunId second = SilverRunFixture.newRun();
        RunPromotion promotion = promotion();
        promotion.promote(silver.writeRun(first, "2026-01"));

        Decision decision = promotion.promote(silver.writeRun(second, "2026-01", "2026-03"));

        assertThat(decision.tableVersion()).isEqualTo(2);
        TableSnapshot snapshot = promotion.log().read(2);
        assertThat(snapshot.containsRun(first.value())).isTrue();
        assertThat(snapshot.containsRun(second.value())).isTrue();
        assertThat(snapshot.summary().changedPartitions()).containsExactly("2026-01", "2026-03");
        assertThat(promotion.pointer().read().orElseThrow().tableVersion()).isEqualTo(2);
        assertThat(promotion.pointer().read().orElseThrow().runId()).isEqualTo(second.value());
        assertThat(promotion.log().history()).hasSize(2);
    }

    @Test
    void holdsARunWithoutItsSuccessMarker() throws Exception {
        RunId runId = SilverRunFixture.newRun();
        RunValidated run = SilverRunFixture.runValidated(runId, 0, List.of(
                silver.writePartition(runId, "2026-01", true, 3),
                silver.writePartition(runId, "2026-02", false, 4)));
        RunPromotion promotion = promotion();

        Decision decision = promotion.promote(run);
        Decision redelivered = promotion.promote(run);

        assertThat(decision.status()).isEqualTo(Status.HELD);
        assertThat(decision.promoted()).isNull();
        assertThat(decision.failures()).extracting(CheckFailure::code).containsExactly(CheckCode.SUCCESS_MARKER_MISSING);
        assertThat(decision.failures().get(0).message()).contains("2026-02", "_SUCCESS");
        assertThat(decision.heldRecord().key()).isEqualTo("silver/mortgages/transactions/_table/schema_v=v1/_held/run_id=" + runId + ".json");
        JsonNode held = EventCodec.mapper().readTree(disk.read(decision.heldRecord()));
        assertThat(held.path("run_id").asText()).isEqualTo(runId.value());
        assertThat(held.path("reasons").get(0).path("code").asText()).isEqualTo("SUCCESS_MARKER_MISSING");
        assertThat(held.path("run").path("run_id").asText()).isEqualTo(runId.value());
        assertThat(redelivered.status()).isEqualTo(Status.HELD);
        assertThat(promotion.log().versions()).isEmpty();
        assertThat(promotion.pointer().read()).isEmpty();
    }

    @Test
    void holdsARunWithATamperedFile() {
        RunId runId = SilverRunFixture.newRun();
        RunValidated run = silver.writeRun(runId, "2026-01");
        Location part = LAYOUT.silverPart(java.time.YearMonth.of(2026, 1), SCHEMA, runId, 1);
        byte[] original = disk.read(part);
        byte[] tampered = original.clone();
        tampered[0] = (byte) (tampered[0] ^ 1);
        disk.replace(part, tampered, "application/vnd.apache.parquet");

        Decision decision = promotion().promote(run);

        assertThat(decision.status()).isEqualTo(Status.HELD);
        assertThat(decision.failures()).extracting(CheckFailure::code).containsExactly(CheckCode.FILE_CHECKSUM_MISMATCH);
        assertThat(decision.failures().get(0).message()).contains(part.toString(), SilverRunFixture.sha256(original));
        assertThat(promotion().log().versions()).isEmpty();
    }

    @Test
    void holdsARunWhoseCountsDoNotMatchItsManifests() {
        RunId runId = SilverRunFixture.newRun();
        RunValidated written = silver.writeRun(runId, "2026-01");
        RunValidated.Partition partition = written.partitions().get(0);
        RunValidated run = SilverRunFixture.withCounts(written, new RunValidated.Counts(7, 6, 1, 0),
                List.of(new RunValidated.Partition(partition.yearMonth(), 6, partition.manifest())));

        Decision decision = promotion().promote(run);

        assertThat(decision.status()).isEqualTo(Status.HELD);
        assertThat(decision.failures()).extracting(CheckFailure::code).containsExactly(CheckCode.PARTITION_ROWS_MISMATCH);
        assertThat(decision.failures().get(0).message()).contains("the event says 6 rows, the manifest 5");
    }

    @Test
    void promotingTheSameRunTwiceGivesOneVersion() {
        RunValidated run = silver.writeRun(SilverRunFixture.newRun(), "2026-01");
        RunPromotion promotion = promotion();

        Decision first = promotion.promote(run);
        Decision second = promotion().promote(run);

        assertThat(second.status()).isEqualTo(Status.PROMOTED);
        assertThat(second.newVersion()).isFalse();
        assertThat(second.tableVersion()).isEqualTo(1);
        assertThat(second.promoted().partitions()).isEqualTo(first.promoted().partitions());
        assertThat(second.promoted().rows()).isEqualTo(first.promoted().rows());
        assertThat(promotion.log().versions()).containsExactly(1L);
    }

    @Test
    void concurrentDeliveriesOfOneRunCommitItOnce() throws Exception {
        RunValidated run = silver.writeRun(SilverRunFixture.newRun(), "2026-01", "2026-02");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Decision>> decisions = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                decisions.add(pool.submit((Callable<Decision>) () -> promotion().promote(run)));
            }
            long newVersions = 0;
            for (Future<Decision> decision : decisions) {
                assertThat(decision.get().status()).isEqualTo(Status.PROMOTED);
                assertThat(decision.get().tableVersion()).isEqualTo(1);
                newVersions += decision.get().newVersion() ? 1 : 0;
            }
            assertThat(newVersions).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(promotion().log().versions()).containsExactly(1L);
    }

    @Test
    void aRunWithoutSilverRowsIsPromotedWithoutANewVersion() {
        RunId allQuarantined = SilverRunFixture.newRun();
        RunValidated empty = SilverRunFixture.runValidated(allQuarantined, 5, List.of());
        RunPromotion promotion = promotion();

        Decision onEmptyTable = promotion.promote(empty);

        assertThat(onEmptyTable.status()).isEqualTo(Status.PROMOTED);
        assertThat(onEmptyTable.newVersion()).isFalse();
        assertThat(onEmptyTable.tableVersion()).isZero();
        assertThat(onEmptyTable.promoted().rows()).isZero();
        assertThat(onEmptyTable.promoted().partitions()).isEmpty();
        assertThat(disk.list("lake-silver", promotion.table().root())).isEmpty();

        promotion.promote(silver.writeRun(SilverRunFixture.newRun(), "2026-01"));
        Decision onTable = promotion.promote(SilverRunFixture.runValidated(SilverRunFixture.newRun(), 2, List.of()));
        assertThat(onTable.tableVersion()).isEqualTo(1);
        assertThat(onTable.newVersion()).isFalse();
        assertThat(promotion.log().versions()).containsExactly(1L);
    }

    @Test
    void aPointerWriteThatFailsAfterTheCommitDoesNotUndoItAndRedeliveryRepairsIt() {
        RunValidated run = silver.writeRun(SilverRunFixture.newRun(), "2026-01");
        store.failBefore(Call.REPLACE, key -> key.endsWith("_LATEST.json"), true, 1);

        Decision decision = promotion().promote(run);

        assertThat(decision.status()).isEqualTo(Status.PROMOTED);
        assertThat(decision.newVersion()).isTrue();
        assertThat(decision.latest()).isNull();
        assertThat(disk.head(decision.promoted().latest())).isEmpty();

        Decision redelivered = promotion().promote(run);

        assertThat(redelivered.newVersion()).isFalse();
        assertThat(redelivered.latest().tableVersion()).isEqualTo(1);
        assertThat(promotion().log().versions()).containsExactly(1L);
    }
}
