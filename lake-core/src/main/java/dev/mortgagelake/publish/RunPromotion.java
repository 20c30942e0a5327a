package dev.mortgagelake.publish;

import dev.mortgagelake.event.RunPromoted;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.publish.check.CheckFailure;
import dev.mortgagelake.publish.check.PromotionCheckResult;
import dev.mortgagelake.publish.check.PromotionChecks;
import dev.mortgagelake.publish.audit.AuditGate;
import dev.mortgagelake.publish.audit.AuditPolicy;
import dev.mortgagelake.publish.current.CurrentLayout;
import dev.mortgagelake.publish.current.CurrentMirror;
import dev.mortgagelake.publish.current.CurrentReconciler;
import dev.mortgagelake.publish.table.RollbackTo;
import dev.mortgagelake.publish.table.SupersedeRuns;
import dev.mortgagelake.publish.table.TableChange;
import dev.mortgagelake.publish.table.AppendFiles;
import dev.mortgagelake.publish.table.CommitFailedException;
import dev.mortgagelake.publish.table.CatalogSnapshot;
import dev.mortgagelake.publish.table.CatalogTables;
import dev.mortgagelake.publish.table.CommitPolicy;
import dev.mortgagelake.publish.table.CommitResult;
import dev.mortgagelake.publish.table.CommitStateUnknownException;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.publish.table.LatestPointer;
import dev.mortgagelake.publish.table.LatestPointerWriter;
import dev.mortgagelake.publish.table.TableCommitter;
import dev.mortgagelake.publish.table.TableLocation;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.publish.table.TableVersionLog;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Promotes validated runs into the Silver table ({@code silverTableRoot(schemaVersion)}): the
 * publish authority, which commits the table's versions and moves its {@code _LATEST.json} pointer
 * after them.
 *
 * <p>{@link #promote} decides, for one {@code run-validated} payload:
 * <ol>
 *   <li><b>Already promoted</b> (the current version contains the run's files): PROMOTED with the
 *       current version, nothing written except a pointer repair. Redelivery is cheap and
 *       idempotent; the data is not re-checked, because it is immutable and was checked when it was
 *       committed.</li>
 *   <li><b>Retired</b> (a rollback removed it, or a backfill superseded it): RETIRED; nothing is
 *       written, the run never comes back.</li>
 *   <li><b>Rejected</b> by an operator: REJECTED; never promoted, its held record stays for audit.</li>
 *   <li><b>Checks fail</b> ({@link PromotionChecks} for integrity; the {@link AuditGate} for quality
 *       unless an operator approved the run): HELD. A {@link HeldRun} record with every reason is
 *       created once at {@code <root>_held/run_id=<run>.json}; no version is committed. A held run
 *       is invisible to readers (it is in no version) until {@link #approve}d.</li>
 *   <li><b>Checks pass</b>: the run's verified files are committed as one APPEND version (a
 *       {@code BACKFILL} run with {@code supersedes}: one BACKFILL version that also retires the
 *       superseded runs) by {@link TableCommitter}; then, best effort, {@code current/} and
 *       {@code _LATEST.json} follow ({@link CurrentReconciler}: current/ first, the pointer only once
 *       current/ holds the version); then the {@link SilverChangeListener} (Gold: publish, then
 *       each Gold table's current/ and pointer), so that the returned {@code run-promoted} payload
 *       is emitted only after Gold and names the Gold versions ({@link SilverChangeListener#derivedVersions}).
 *       PROMOTED with the version that contains the run. If another
 *       delivery of the same run committed first, the change is "no change" and that version is
 *       returned.</li>
 *   <li><b>No Silver rows</b> (every row quarantined or condemned; checks pass with no partitions):
 *       PROMOTED as a no-op. Nothing is committed, because the table is unchanged; the result names
 *       the current version (0 if the table has no version yet) and adds no partitions and no rows,
 *       so that downstream consumers still learn that the run is finished.</li>
 * </ol>
 *
 * <p>Guarantees: any number of deliveries of the same run, concurrent or not, and a crash at
 * any point, leave the run in the table at most once; a version is never half written; a crash
 * after the commit and before the pointer write leaves a pointer one step behind, repaired by the
 * next promotion, redelivery or the scheduled reconciler. Exceptions: {@link CommitFailedException} (nothing committed, retry),
 * {@link CommitStateUnknownException} (retry; never clean up), {@link StorageException} (the store
 * failed before a decision; retry).
 */
public final class RunPromotion {

    /** Where held-run records live, below the table root. */
    public static final String HELD_PREFIX = "_held/";

    private static final Logger LOG = Logger.getLogger(RunPromotion.class);
    private static final String RUN_KIND_BACKFILL = "BACKFILL";

    private final String schemaVersion;
    private final Clock clock;
    private final PromotionChecks checks;
    private final AuditGate gate;
    private final TableVersionLog log;
    private final TableCommitter committer;
    private final LatestPointerWriter pointer;
    private final CurrentReconciler reconciler;
    private final HeldRuns heldRuns;
    private final SilverChangeListener listener;

    /**
     * The promotion of runs of {@code schemaVersion} into the Silver table of that version, in the
     * Silver bucket of {@code layout}, with the default audit gate and no listener.
     */
    public RunPromotion(ObjectStore store, LakeLayout layout, String schemaVersion, CommitPolicy policy, Clock clock) {
        this(store, layout, schemaVersion, policy, AuditPolicy.DEFAULT, SilverChangeListener.NONE, clock);
    }

    /** The promotion without an Iceberg table following Silver. */
    public RunPromotion(ObjectStore store, LakeLayout layout, String schemaVersion, CommitPolicy policy, AuditPolicy audit,
                        SilverChangeListener listener, Clock clock) {
        this(store, layout, schemaVersion, policy, audit, listener, CatalogTables.NONE, clock);
    }

    /** The promotion whose Silver table is followed by the Iceberg table {@code catalog.silver(schemaVersion)}. */
    public RunPromotion(ObjectStore store, LakeLayout layout, String schemaVersion, CommitPolicy policy, AuditPolicy audit,
                        SilverChangeListener listener, CatalogTables catalog, Clock clock) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(catalog, "catalog");
        this.schemaVersion = Objects.requireNonNull(schemaVersion, "schemaVersion");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        TableLocation table = new TableLocation(layout.buckets().silver(), layout.silverTableRoot(schemaVersion));
        this.checks = new PromotionChecks(store, layout, schemaVersion);
        this.gate = new AuditGate(audit);
        this.log = new TableVersionLog(store, table);
        this.committer = new TableCommitter(store, log, policy, clock);
        this.pointer = new LatestPointerWriter(store, log, schemaVersion, silverDataPrefix(), clock);
        CurrentMirror mirror = new CurrentMirror(store,
                CurrentLayout.yearMonth(layout.buckets().silver(), layout.silverCurrentPrefix(schemaVersion)));
        this.reconciler = new CurrentReconciler(log, mirror, pointer, catalog.silver(schemaVersion));
        this.heldRuns = new HeldRuns(store, table);
    }

    /** The data prefix of the Silver dataset, written as {@code partition_path} in {@code _LATEST.json}. */
    public static String silverDataPrefix() {
        return "silver/" + LakeLayout.DATASET_PATH + "/";
    }

    public TableLocation table() {
        return log.table();
    }

    public String schemaVersion() {
        return schemaVersion;
    }

    /** The Silver table's version log (history, snapshots). */
    public TableVersionLog log() {
        return log;
    }

    /** The Silver table's {@code _LATEST.json}. */
    public LatestPointerWriter pointer() {
        return pointer;
    }

    /** Keeps {@code current/} and {@code _LATEST.json} following the log; callers outside this package use the operations below. */
    CurrentReconciler reconciler() {
        return reconciler;
    }

    /** The prefix of Silver's {@code current/} in the Silver bucket (what path-listing readers list). */
    public String currentPrefix() {
        return reconciler.mirror().layout().prefix();
    }

    /** Whether {@code current/} holds exactly the files of {@code snapshot}, no more and no fewer. */
    public boolean currentMatches(TableSnapshot snapshot) {
        return reconciler.mirror().matches(snapshot);
    }

    /**
     * Brings {@code current/}, the catalog table and {@code _LATEST.json} up to the newest logged version
     * (the scheduled repair after a crash between the commit and the pointer); empty for an empty table.
     */
    public Optional<CurrentReconciler.Reconciliation> reconcile() {
        return reconciler.reconcile();
    }

    /** The held runs and the decisions on them. */
    public HeldRuns heldRuns() {
        return heldRuns;
    }

    /** Where the held-run record of {@code runId} is written. */
    public Location heldRecord(String runId) {
        return heldRuns.record(runId);
    }

    /**
     * Decides and carries out the promotion of {@code run}. Data problems give HELD, never an exception.
     *
     * @throws CommitFailedException       nothing was committed (every attempt lost the race, or the store refused)
     * @throws CommitStateUnknownException the commit may or may not have happened; retry, never clean up
     * @throws StorageException            the store failed before a decision was made
     */
    public Decision promote(RunValidated run) {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(run.runId(), "run.runId");

        TableSnapshot current = log.current();
        Optional<Decision> settled = settled(run, current);
        if (settled.isPresent()) {
            return settled.get();
        }
        Optional<HeldRunDecision> decision = heldRuns.decision(run.runId());
        if (decision.isPresent() && decision.get().outcome() == HeldRunDecision.Outcome.REJECTED) {
            LOG.debugf("Run %s was rejected by %s; not promoted", run.runId(), decision.get().decidedBy());
            return notPromoted(Status.REJECTED, run.runId(), current.version());
        }
        boolean approved = decision.isPresent();

        PromotionCheckResult result = checks.check(run);
        List<CheckFailure> failures = new ArrayList<>(result.failures());
        if (!approved) {
            failures.addAll(gate.check(run, current));
        }
        if (!failures.isEmpty()) {
            return hold(run, failures);
        }
        return commit(run, result);
    }

    /**
     * Approves a held run and promotes it. The run's integrity checks are run again (its output
     * must still be complete and untampered); the audit reasons it was held for are overridden.
     * Idempotent: approving an approved run completes its promotion.
     *
     * @throws OperatorRequestException NOT_FOUND (never held), CONFLICT (rejected), REFUSED (integrity checks fail)
     */
    public Decision approve(String runId, String approvedBy, String reason) {
        HeldRun held = heldRuns.find(runId).orElseThrow(() ->
                new OperatorRequestException(OperatorRequestException.Kind.NOT_FOUND, "Run " + runId + " is not held"));
        TableSnapshot current = log.current();
        Optional<Decision> settled = settled(held.run(), current);
        if (settled.isPresent()) {
            return settled.get();
        }
        Optional<HeldRunDecision> existing = heldRuns.decision(runId);
        if (existing.isPresent() && existing.get().outcome() == HeldRunDecision.Outcome.REJECTED) {
            throw new OperatorRequestException(OperatorRequestException.Kind.CONFLICT, "Run " + runId + " was rejected by "
                    + existing.get().decidedBy() + " at " + existing.get().decidedAt() + "; a rejected run is never promoted");
        }
        PromotionCheckResult result = checks.check(held.run());
        if (!result.passed()) {
            throw new OperatorRequestException(OperatorRequestException.Kind.REFUSED, "Run " + runId
                    + " cannot be approved: its output fails its integrity checks", result.failures());
        }
        HeldRunDecision decided = heldRuns.decide(new HeldRunDecision(runId, HeldRunDecision.Outcome.APPROVED, approvedBy,
                clock.instant(), reason));
        if (decided.outcome() == HeldRunDecision.Outcome.REJECTED) {
            throw new OperatorRequestException(OperatorRequestException.Kind.CONFLICT, "Run " + runId + " was rejected by "
                    + decided.decidedBy() + " meanwhile");
        }
        LOG.infof("Run %s approved by %s: %s", runId, decided.decidedBy(), decided.reason());
        return commit(held.run(), result);
    }

    /**
     * Rejects a held run: it is never promoted and stays held for audit.
     *
     * @throws OperatorRequestException NOT_FOUND (never held), CONFLICT (approved, or already in the table)
     */
    public HeldRunDecision reject(String runId, String rejectedBy, String reason) {
        heldRuns.find(runId).orElseThrow(() ->
                new OperatorRequestException(OperatorRequestException.Kind.NOT_FOUND, "Run " + runId + " is not held"));
        if (log.current().containsRun(runId)) {
            throw new OperatorRequestException(OperatorRequestException.Kind.CONFLICT, "Run " + runId
                    + " is already promoted; roll the table back instead");
        }
        HeldRunDecision decided = heldRuns.decide(new HeldRunDecision(runId, HeldRunDecision.Outcome.REJECTED, rejectedBy,
                clock.instant(), reason));
        if (decided.outcome() != HeldRunDecision.Outcome.REJECTED) {
            throw new OperatorRequestException(OperatorRequestException.Kind.CONFLICT, "Run " + runId + " was approved by "
                    + decided.decidedBy() + " at " + decided.decidedAt());
        }
        LOG.infof("Run %s rejected by %s: %s", runId, decided.decidedBy(), decided.reason());
        return decided;
    }

    /**
     * Points the Silver table back to version {@code toVersion} as a new ROLLBACK version; the runs
     * added since are retired (never re-added by a redelivery). {@code current/} and
     * {@code _LATEST.json} follow (best effort; the reconciler repairs), then the listener (Gold) is
     * told.
     *
     * @param expectedCurrent the version the operator reviewed; the rollback is refused if the table moved
     * @throws OperatorRequestException NOT_FOUND (no such version), CONFLICT (the table moved, or
     *                                  {@code toVersion} is not earlier than the current version)
     */
    public RollbackResult rollback(long toVersion, long expectedCurrent, String requestedBy, String reason) {
        long latest = log.latestVersion();
        if (latest != expectedCurrent) {
            throw new OperatorRequestException(OperatorRequestException.Kind.CONFLICT, "The Silver table is at version " + latest
                    + ", not " + expectedCurrent + "; review the history and ask again");
        }
        if (toVersion < 1 || toVersion >= latest) {
            throw new OperatorRequestException(OperatorRequestException.Kind.CONFLICT, "Can only roll back to a version in [1, "
                    + (latest - 1) + "], not " + toVersion);
        }
        TableSnapshot target = log.find(toVersion).orElseThrow(() ->
                new OperatorRequestException(OperatorRequestException.Kind.NOT_FOUND, "No table version " + toVersion));
        CommitResult commit;
        try {
            commit = committer.commit(new RollbackTo(target, expectedCurrent, requestedBy, reason));
        } catch (CommitFailedException e) {
            if (e.getCause() == null) {
                throw new OperatorRequestException(OperatorRequestException.Kind.CONFLICT, e.getMessage());
            }
            throw e;
        }
        LOG.infof("Silver table rolled back to version %d as version %d by %s (retired runs %s): %s", toVersion,
                commit.version(), requestedBy, commit.snapshot().runIds(), reason);
        LatestPointer latestPointer = afterCommit(commit);
        return new RollbackResult(commit.snapshot(), latestPointer);
    }

    /** Already promoted or retired: the run needs nothing more. */
    private Optional<Decision> settled(RunValidated run, TableSnapshot current) {
        if (current.containsRun(run.runId())) {
            LOG.debugf("Run %s is already in %s version %d", run.runId(), table(), current.version());
            LatestPointer latest = reconcileBestEffort();
            notifyListener(current); // catches up a listener call missed by a crash after the commit
            return Optional.of(promoted(run, current, false, latest));
        }
        if (current.isRetired(run.runId())) {
            LOG.infof("Run %s was retired (rolled back or superseded) before table version %d; not promoted again",
                    run.runId(), current.version());
            return Optional.of(notPromoted(Status.RETIRED, run.runId(), current.version()));
        }
        return Optional.empty();
    }

    private Decision commit(RunValidated run, PromotionCheckResult result) {
        TableChange change = RUN_KIND_BACKFILL.equals(run.runKind()) && !run.supersedes().isEmpty()
                ? new SupersedeRuns(run.runId(), result.files(), new HashSet<>(run.supersedes()))
                : new AppendFiles(run.runId(), result.files());
        CommitResult commit = committer.commit(change);
        TableSnapshot snapshot = commit.snapshot();
        if (!commit.committed() && snapshot.isRetired(run.runId())) {
            return notPromoted(Status.RETIRED, run.runId(), snapshot.version());
        }
        LatestPointer latest;
        if (commit.committed()) {
            latest = afterCommit(commit);
        } else {
            latest = reconcileBestEffort();
            notifyListener(snapshot);
        }
        return promoted(run, snapshot, commit.committed(), latest);
    }

    /** Work after a commit: must never undo or fail it. */
    private LatestPointer afterCommit(CommitResult commit) {
        LatestPointer latest = reconcileBestEffort();
        notifyListener(commit.snapshot());
        return latest;
    }

    /** Tells the listener (Gold) about {@code snapshot}; never fails the Silver publish. */
    private void notifyListener(TableSnapshot snapshot) {
        try {
            listener.committed(snapshot);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Silver version %d stands, but its listener failed (it reconciles from the log)", snapshot.version());
        }
    }

    private Map<String, Long> derivedVersions(long version) {
        try {
            return listener.derivedVersions(version);
        } catch (RuntimeException e) {
            LOG.warnf("Silver version %d stands; the versions derived from it are unknown: %s", version, e.getMessage());
            return Map.of();
        }
    }

    private Decision promoted(RunValidated run, TableSnapshot snapshot, boolean newVersion, LatestPointer latest) {
        SortedMap<String, List<DataFile>> files = snapshot.filesOf(run.runId());
        Optional<CatalogSnapshot> iceberg = icebergSnapshotOf(snapshot.version());
        long rows = files.values().stream().flatMap(List::stream).mapToLong(DataFile::rows).sum();
        RunPromoted promoted = new RunPromoted(run.runId(), run.dataset(), schemaVersion, table().root(), snapshot.version(),
                List.copyOf(files.keySet()), rows, pointer.location(), clock.instant(), null)
                .withGold(derivedVersions(snapshot.version()))
                .withIceberg(iceberg.map(CatalogSnapshot::snapshotId).orElse(null),
                        iceberg.map(CatalogSnapshot::metadataLocation).orElse(null));
        return new Decision(Status.PROMOTED, run.runId(), snapshot.version(), newVersion, promoted, latest, List.of(), null);
    }

    private Decision notPromoted(Status status, String runId, long version) {
        return new Decision(status, runId, version, false, null, null, List.of(), heldRuns.find(runId).isPresent() ? heldRecord(runId) : null);
    }

    /** The Iceberg snapshot of {@code version}, if an Iceberg table follows Silver and holds it; never fails the promotion. */
    private Optional<CatalogSnapshot> icebergSnapshotOf(long version) {
        try {
            return reconciler.catalog().snapshotOf(version);
        } catch (RuntimeException e) {
            LOG.warnf("Silver version %d stands; its Iceberg snapshot is unknown: %s", version, e.getMessage());
            return Optional.empty();
        }
    }

    /** current/, the Iceberg table, then _LATEST.json follow the log; a failure leaves the pointer behind, repaired later. */
    private LatestPointer reconcileBestEffort() {
        try {
            return reconciler.reconcile().map(CurrentReconciler.Reconciliation::pointer).orElse(null);
        } catch (RuntimeException e) {
            LOG.warnf("Promotion stands, but current/ and %s were not reconciled (the next promotion or the reconciler repairs"
                    + " them): %s", pointer.location(), e.getMessage());
            return null;
        }
    }

    private Decision hold(RunValidated run, List<CheckFailure> failures) {
        HeldRun held = new HeldRun(run.runId(), schemaVersion, table().root(), clock.instant(), failures, run);
        heldRuns.hold(held);
        LOG.infof("Run %s held, not promoted: %d reason(s), first %s", run.runId(), failures.size(), failures.get(0).code());
        return new Decision(Status.HELD, run.runId(), log.latestVersion(), false, null, null, failures, heldRecord(run.runId()));
    }

    /**
     * PROMOTED: the run is part of the table. HELD: it failed its checks and is not (yet).
     * REJECTED: an operator rejected it; it never will be. RETIRED: a rollback removed it or a
     * backfill superseded it; it never comes back.
     */
    public enum Status {
        PROMOTED,
        HELD,
        REJECTED,
        RETIRED
    }

    /** What {@link #rollback} committed and the pointer in place afterwards (null if not yet reconciled). */
    public record RollbackResult(TableSnapshot snapshot, LatestPointer latest) {
    }

    /**
     * What {@link #promote} decided.
     *
     * @param status       PROMOTED, HELD, REJECTED or RETIRED
     * @param runId        the run
     * @param tableVersion PROMOTED: the version that contains the run (for a run without rows, the
     *                     current version, 0 if none); otherwise the current version, unchanged
     * @param newVersion   true if this call committed {@code tableVersion}
     * @param promoted     the {@code run-promoted} payload to emit; null unless PROMOTED
     * @param latest       the {@code _LATEST.json} in place after the promotion; null unless PROMOTED,
     *                     when the table has no version, or when reconciling failed (the promotion stands)
     * @param failures     HELD: every reason; otherwise empty
     * @param heldRecord   where the held-run record is; null if the run was never held
     */
    public record Decision(
            Status status,
            String runId,
            long tableVersion,
            boolean newVersion,
            RunPromoted promoted,
            LatestPointer latest,
            List<CheckFailure> failures,
            Location heldRecord) {

        public Decision {
            Objects.requireNonNull(status, "status");
            failures = List.copyOf(failures);
        }

        public boolean isPromoted() {
            return status == Status.PROMOTED;
        }
    }
}
