package dev.mortgagelake.publish;

import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.publish.RunPromotion.Decision;
import dev.mortgagelake.publish.RunPromotion.Status;
import dev.mortgagelake.publish.audit.AuditPolicy;
import dev.mortgagelake.publish.check.CheckCode;
import dev.mortgagelake.publish.current.CurrentReconciler;
import dev.mortgagelake.publish.table.CommitPolicy;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.publish.table.LatestPointer;
import dev.mortgagelake.publish.table.TableOperation;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.storage.FaultInjectingObjectStore;
import dev.mortgagelake.storage.FaultInjectingObjectStore.Call;
import dev.mortgagelake.storage.FileSystemObjectStore;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.storage.StoredObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static dev.mortgagelake.publish.SilverRunFixture.LAYOUT;
import static dev.mortgagelake.publish.SilverRunFixture.NOW;
import static dev.mortgagelake.publish.SilverRunFixture.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * current/ and _LATEST.json after promotions, backfills, crashes and rollbacks; the audit gate with
 * approvals and rejections. Every check of current/ compares it, file by file and byte by byte, with
 * the table version the pointer names, computed here from the snapshot independently of the mirror.
 */
class SilverPublicationTest {

    private static final Clock CLOCK = Clock.fixed(NOW.plusSeconds(5), ZoneOffset.UTC);
    private static final CommitPolicy FAST = new CommitPolicy(16, Duration.ofMillis(1), Duration.ofMillis(20), 3);
    private static final String CURRENT = "silver/mortgages/transactions/current/";

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

    private RunPromotion promotion() {
        return new RunPromotion(store, LAYOUT, SCHEMA, FAST, AuditPolicy.DEFAULT, SilverChangeListener.NONE, CLOCK);
    }

    /** A clean run (nothing quarantined): one partition per month, files of 3 and 2 rows. */
    private RunValidated cleanRun(RunId runId, String... months) {
        List<RunValidated.Partition> partitions = new ArrayList<>();
        for (String month : months) {
            partitions.add(silver.writePartition(runId, month, true, 3, 2));
        }
        return SilverRunFixture.runValidated(runId, 0, partitions);
    }

    private static RunValidated asBackfill(RunValidated run, List<String> supersedes) {
        return new RunValidated(run.runId(), run.dataset(), run.schemaVersion(), "BACKFILL", run.ingestDate(), run.bronze(),
                run.inputSha256(), run.outcome(), run.counts(), run.partitions(), run.quarantine(), run.fileRejection(), run.drift(),
                supersedes, run.validatedAt());
    }

    /** current/ holds exactly the files of the version _LATEST.json names, with the same bytes. */
    private TableSnapshot assertCurrentFollowsThePointer(RunPromotion promotion) {
        LatestPointer pointer = promotion.pointer().read().orElseThrow();
        TableSnapshot snapshot = promotion.log().read(pointer.tableVersion());
        assertThat(pointer.tableVersion()).isEqualTo(promotion.log().latestVersion());
        Map<String, String> expected = new TreeMap<>();
        snapshot.partitions().forEach((month, files) -> {
            for (DataFile file : files) {
                String name = file.key().substring(file.key().lastIndexOf('/') + 1);
                expected.put(CURRENT + "year=" + month.substring(0, 4) + "/month=" + month.substring(5) + "/" + file.runId() + "-" + name,
                        file.key());
            }
        });
        List<StoredObject> present = disk.list("lake-silver", CURRENT);
        assertThat(present).extracting(o -> o.location().key()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((copy, source) -> assertThat(disk.read(new Location("lake-silver", copy)))
                .isEqualTo(disk.read(new Location("lake-silver", source))));
        return snapshot;
    }

    @Test
    void currentHoldsEveryPromotedRunAndNothingElse() {
        RunPromotion promotion = promotion();
        RunValidated larger = cleanRun(SilverRunFixture.newRun(), "2026-01", "2026-02", "2026-03");
        RunValidated smaller = cleanRun(SilverRunFixture.newRun(), "2026-02");

        promotion.promote(larger);
        assertThat(assertCurrentFollowsThePointer(promotion).runs()).containsExactly(larger.runId());
        promotion.promote(smaller);

        TableSnapshot v2 = assertCurrentFollowsThePointer(promotion);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.runs()).containsExactlyInAnyOrder(larger.runId(), smaller.runId());
    }

    @Test
    void aSmallerBackfillAfterALargerRunLeavesNoStaleFileInCurrent() {
        RunPromotion promotion = promotion();
        RunValidated larger = cleanRun(SilverRunFixture.newRun(), "2026-01", "2026-02", "2026-03");
        promotion.promote(larger);
        RunValidated backfill = asBackfill(cleanRun(RunId.newRun(NOW, "BACKFILL"), "2026-02"), List.of(larger.runId()));

        Decision decision = promotion.promote(backfill);

        assertThat(decision.status()).isEqualTo(Status.PROMOTED);
        TableSnapshot v2 = assertCurrentFollowsThePointer(promotion);
        assertThat(v2.operation()).isEqualTo(TableOperation.BACKFILL);
        assertThat(v2.runs()).containsExactly(backfill.runId());
        assertThat(v2.retiredRunIds()).containsExactly(larger.runId());
        // Nothing is deleted from storage: the superseded run stays readable for audit.
        assertThat(disk.head(LAYOUT.silverManifest(java.time.YearMonth.parse("2026-03"), SCHEMA, RunId.of(larger.runId())))).isPresent();
        // A redelivery of the superseded run cannot bring it back.
        assertThat(promotion.promote(larger).status()).isEqualTo(Status.RETIRED);
        assertThat(promotion.log().latestVersion()).isEqualTo(2);
    }

    @Test
    void aPublisherKilledBetweenCopyAndPointerLeavesThePointerBehindAndTheReconcilerRepairsIt() {
        RunPromotion promotion = promotion();
        promotion.promote(cleanRun(SilverRunFixture.newRun(), "2026-01"));
        RunValidated second = cleanRun(SilverRunFixture.newRun(), "2026-02");
        store.failBefore(Call.REPLACE, key -> key.endsWith("_LATEST.json"), true, 1);

        Decision decision = promotion.promote(second);

        assertThat(decision.status()).isEqualTo(Status.PROMOTED);
        assertThat(decision.latest()).isNull();
        assertThat(promotion.pointer().read().orElseThrow().tableVersion()).isEqualTo(1);
        assertThat(disk.list("lake-silver", CURRENT)).hasSize(4); // v2's files are already copied

        CurrentReconciler.Reconciliation repaired = promotion().reconciler().reconcile().orElseThrow();

        assertThat(repaired.version()).isEqualTo(2);
        assertThat(repaired.pointer().tableVersion()).isEqualTo(2);
        assertCurrentFollowsThePointer(promotion);
    }

    @Test
    void aPublisherKilledMidCopyNeverMovesThePointerAndTheNextPublishCompletesCurrent() {
        RunPromotion promotion = promotion();
        promotion.promote(cleanRun(SilverRunFixture.newRun(), "2026-01"));
        store.failBefore(Call.COPY, key -> key.startsWith(CURRENT), true, 1);

        Decision decision = promotion.promote(cleanRun(SilverRunFixture.newRun(), "2026-02"));

        assertThat(decision.newVersion()).isTrue();
        assertThat(promotion.pointer().read().orElseThrow().tableVersion()).isEqualTo(1);
        assertThat(disk.list("lake-silver", CURRENT)).hasSize(2); // the copy stopped at v2's first file: v1's files only

        promotion.promote(cleanRun(SilverRunFixture.newRun(), "2026-03"));

        assertThat(assertCurrentFollowsThePointer(promotion).version()).isEqualTo(3);
    }

    @Test
    void theReconcilerDeletesStaleAndForeignFilesInCurrentOnly() {
        RunPromotion promotion = promotion();
        promotion.promote(cleanRun(SilverRunFixture.newRun(), "2026-01"));
        Location stale = new Location("lake-silver", CURRENT + "year=2025/month=12/old-run-part-00000.parquet");
        Location outside = new Location("lake-silver", "silver/mortgages/transactions/currently-not-ours.txt");
        disk.create(stale, "stale".getBytes(StandardCharsets.UTF_8), "text/plain");
        disk.create(outside, "keep".getBytes(StandardCharsets.UTF_8), "text/plain");
        Location copy = disk.list("lake-silver", CURRENT + "year=2026/").get(0).location();
        disk.delete(copy);

        CurrentReconciler.Reconciliation repaired = promotion.reconciler().reconcile().orElseThrow();

        assertThat(repaired.copied()).isEqualTo(1);
        assertThat(repaired.deleted()).isEqualTo(1);
        assertCurrentFollowsThePointer(promotion);
        assertThat(disk.head(outside)).isPresent();
    }

    @Test
    void rollbackIsANewVersionThatRetiresTheRemovedRunsAndCurrentFollows() {
        RunPromotion promotion = promotion();
        RunValidated first = cleanRun(SilverRunFixture.newRun(), "2026-01");
        RunValidated bad = cleanRun(SilverRunFixture.newRun(), "2026-01", "2026-02");
        promotion.promote(first);
        promotion.promote(bad);

        RunPromotion.RollbackResult result = promotion.rollback(1, 2, "carol", "bad amounts in run " + bad.runId());

        TableSnapshot v3 = result.snapshot();
        assertThat(v3.version()).isEqualTo(3);
        assertThat(v3.operation()).isEqualTo(TableOperation.ROLLBACK);
        assertThat(v3.runIds()).containsExactly(bad.runId());
        assertThat(v3.retiredRunIds()).containsExactly(bad.runId());
        assertThat(v3.partitions()).isEqualTo(promotion.log().read(1).partitions());
        assertThat(v3.properties()).containsEntry("rollback_to_version", "1").containsEntry("requested_by", "carol");
        assertThat(v3.summary().changedPartitions()).containsExactly("2026-01", "2026-02");
        assertThat(result.latest().tableVersion()).isEqualTo(3);
        assertThat(assertCurrentFollowsThePointer(promotion).version()).isEqualTo(3);
        assertThat(promotion.log().history()).extracting(h -> h.operation())
                .containsExactly(TableOperation.APPEND, TableOperation.APPEND, TableOperation.ROLLBACK);

        assertThat(promotion.promote(bad).status()).isEqualTo(Status.RETIRED);
        assertThat(promotion.log().latestVersion()).isEqualTo(3);
        assertThatThrownBy(() -> promotion.rollback(1, 2, "carol", "again"))
                .isInstanceOfSatisfying(OperatorRequestException.class, e -> assertThat(e.kind()).isEqualTo(OperatorRequestException.Kind.CONFLICT));
    }

    @Test
    void rollingBackOverABackfillRestoresTheRunsItSuperseded() {
        RunPromotion promotion = promotion();
        RunValidated original = cleanRun(SilverRunFixture.newRun(), "2026-01");
        promotion.promote(original);
        RunValidated backfill = asBackfill(cleanRun(RunId.newRun(NOW, "BACKFILL"), "2026-01"), List.of(original.runId()));
        promotion.promote(backfill);

        TableSnapshot v3 = promotion.rollback(1, 2, "carol", "backfill was wrong").snapshot();

        assertThat(v3.runs()).containsExactly(original.runId());
        assertThat(v3.retiredRunIds()).containsExactly(backfill.runId());
        assertCurrentFollowsThePointer(promotion);
    }

    @Test
    void aRunAboveTheQuarantineThresholdIsHeldInvisibleUntilApproved() {
        RunPromotion promotion = promotion();
        promotion.promote(cleanRun(SilverRunFixture.newRun(), "2026-01"));
        RunValidated noisy = silver.writeRun(SilverRunFixture.newRun(), "2026-02"); // 1 of 6 rows quarantined

        Decision held = promotion.promote(noisy);

        assertThat(held.status()).isEqualTo(Status.HELD);
        assertThat(held.failures()).extracting(f -> f.code()).containsExactly(CheckCode.QUARANTINE_RATE_ABOVE_THRESHOLD);
        assertThat(assertCurrentFollowsThePointer(promotion).runs()).doesNotContain(noisy.runId());
        assertThat(promotion.heldRuns().list()).singleElement().satisfies(entry -> {
            assertThat(entry.held().runId()).isEqualTo(noisy.runId());
            assertThat(entry.status()).isEqualTo("PENDING");
        });
        assertThat(promotion.promote(noisy).status()).isEqualTo(Status.HELD);

        Decision approved = promotion.approve(noisy.runId(), "carol", "known bad rows from a partner; the rest is good");

        assertThat(approved.status()).isEqualTo(Status.PROMOTED);
        assertThat(approved.tableVersion()).isEqualTo(2);
        assertThat(assertCurrentFollowsThePointer(promotion).runs()).contains(noisy.runId());
        assertThat(promotion.heldRuns().list()).singleElement().satisfies(entry -> assertThat(entry.status()).isEqualTo("APPROVED"));
        assertThat(promotion.promote(noisy).newVersion()).isFalse();
        assertThatThrownBy(() -> promotion.reject(noisy.runId(), "dave", "too late"))
                .isInstanceOfSatisfying(OperatorRequestException.class, e -> assertThat(e.kind()).isEqualTo(OperatorRequestException.Kind.CONFLICT));
    }

    @Test
    void aRejectedRunIsNeverPromotedAndItsRecordsStay() {
        RunPromotion promotion = promotion();
        RunValidated noisy = silver.writeRun(SilverRunFixture.newRun(), "2026-02");
        promotion.promote(noisy);

        HeldRunDecision rejected = promotion.reject(noisy.runId(), "carol", "wrong partner file");

        assertThat(rejected.outcome()).isEqualTo(HeldRunDecision.Outcome.REJECTED);
        assertThat(promotion.promote(noisy).status()).isEqualTo(Status.REJECTED);
        assertThatThrownBy(() -> promotion.approve(noisy.runId(), "dave", "changed my mind"))
                .isInstanceOfSatisfying(OperatorRequestException.class, e -> assertThat(e.kind()).isEqualTo(OperatorRequestException.Kind.CONFLICT));
        assertThat(promotion.log().latestVersion()).isZero();
        assertThat(disk.list("lake-silver", CURRENT)).isEmpty();
        assertThat(disk.head(promotion.heldRecord(noisy.runId()))).isPresent();
        assertThat(disk.head(promotion.heldRuns().decisionRecord(noisy.runId()))).isPresent();
        assertThat(promotion.heldRuns().list()).singleElement().satisfies(entry -> assertThat(entry.status()).isEqualTo("REJECTED"));
    }

    @Test
    void anApprovalCannotPromoteARunWhoseOutputIsDamaged() {
        RunPromotion promotion = promotion();
        RunValidated noisy = silver.writeRun(SilverRunFixture.newRun(), "2026-02");
        promotion.promote(noisy);
        Location part = LAYOUT.silverPart(java.time.YearMonth.parse("2026-02"), SCHEMA, RunId.of(noisy.runId()), 0);
        disk.replace(part, "tampered".getBytes(StandardCharsets.UTF_8), "application/octet-stream");

        assertThatThrownBy(() -> promotion.approve(noisy.runId(), "carol", "looks fine"))
                .isInstanceOfSatisfying(OperatorRequestException.class, e -> {
                    assertThat(e.kind()).isEqualTo(OperatorRequestException.Kind.REFUSED);
                    assertThat(e.failures()).extracting(f -> f.code()).contains(CheckCode.FILE_SIZE_MISMATCH);
                });
        assertThat(promotion.heldRuns().decision(noisy.runId())).isEmpty();
        assertThat(promotion.log().latestVersion()).isZero();
        assertThatThrownBy(() -> promotion.approve("20260121T120000000Z-00000000", "carol", "?"))
                .isInstanceOfSatisfying(OperatorRequestException.class, e -> assertThat(e.kind()).isEqualTo(OperatorRequestException.Kind.NOT_FOUND));
    }

    @Test
    void aReconcilerThatCannotReachTheStoreLeavesThePointerWhereItWas() {
        RunPromotion promotion = promotion();
        promotion.promote(cleanRun(SilverRunFixture.newRun(), "2026-01"));
        store.failBefore(Call.LIST, key -> key.startsWith(CURRENT), true, 1);

        Decision decision = promotion.promote(cleanRun(SilverRunFixture.newRun(), "2026-02"));

        assertThat(decision.newVersion()).isTrue();
        assertThat(promotion.pointer().read().orElseThrow().tableVersion()).isEqualTo(1);
        store.failBefore(Call.LIST, key -> key.startsWith(CURRENT), true, 1);
        assertThatThrownBy(() -> promotion.reconciler().reconcile()).isInstanceOf(StorageException.class);
        assertThat(promotion.reconciler().reconcile().orElseThrow().version()).isEqualTo(2);
        assertCurrentFollowsThePointer(promotion);
    }

    // ---- failure modes: lost pointer, stale files, partial writes -----------------------------------------------------------

    @Test
    void aDeletedLatestJsonIsRecoveredFromTheVersionLog() {
        RunPromotion promotion = promotion();
        promotion.promote(cleanRun(SilverRunFixture.newRun(), "2026-01"));
        promotion.promote(cleanRun(SilverRunFixture.newRun(), "2026-02"));
        disk.delete(promotion.pointer().location());
        assertThat(promotion.pointer().read()).isEmpty();

        CurrentReconciler.Reconciliation repaired = promotion.reconciler().reconcile().orElseThrow();

        assertThat(repaired.version()).isEqualTo(2);
        assertThat(promotion.pointer().read().orElseThrow().tableVersion()).isEqualTo(2);
        assertCurrentFollowsThePointer(promotion);
    }

    @Test
    void aDeletedCurrentPrefixIsRebuiltByTheReconciler() {
        RunPromotion promotion = promotion();
        promotion.promote(cleanRun(SilverRunFixture.newRun(), "2026-01", "2026-02"));
        List<StoredObject> before = disk.list("lake-silver", CURRENT);
        assertThat(before).isNotEmpty();
        for (StoredObject object : before) {
            disk.delete(object.location());
        }

        CurrentReconciler.Reconciliation repaired = promotion.reconciler().reconcile().orElseThrow();

        assertThat(repaired.copied()).isEqualTo(before.size());
        assertCurrentFollowsThePointer(promotion);
    }
}
