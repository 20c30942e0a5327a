package dev.mortgagelake.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.RunPromoted;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.publish.check.CheckFailure;
import dev.mortgagelake.publish.check.PromotionCheckResult;
import dev.mortgagelake.publish.check.PromotionChecks;
import dev.mortgagelake.publish.table.AppendFiles;
import dev.mortgagelake.publish.table.CommitFailedException;
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
import dev.mortgagelake.storage.ObjectAlreadyExistsException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;

/**
 * Promotes validated runs into the Silver table ({@code silverTableRoot(schemaVersion)}): the
 * publish authority of F7.
 *
 * <p>{@link #promote} decides, for one {@code run-validated} payload:
 * <ol>
 *   <li><b>Already promoted</b> (the current version contains the run's files): PROMOTED with the
 *       current version, nothing written except a pointer repair. Redelivery is cheap and
 *       idempotent; the data is not re-checked, because it is immutable and was checked when it was
 *       committed.</li>
 *   <li><b>Checks fail</b> ({@link PromotionChecks}): HELD. A {@link HeldRun} record with every reason
 *       is created once at {@code <root>_held/run_id=<run>.json}; no version is committed.</li>
 *   <li><b>Checks pass</b>: the run's verified files are committed as one APPEND version
 *       ({@link TableCommitter}); then, best effort, {@code _LATEST.json} is moved to the newest
 *       version. PROMOTED with the version that contains the run. If another delivery of the same
 *       run committed first, the append is "no change" and that version is returned.</li>
 *   <li><b>No Silver rows</b> (every row quarantined or condemned; checks pass with no partitions):
 *       PROMOTED as a no-op. Nothing is committed, because the table is unchanged; the result names
 *       the current version (0 if the table has no version yet) and adds no partitions and no rows,
 *       so that downstream consumers still learn that the run is finished.</li>
 * </ol>
 *
 * <p>Guarantees (F13): any number of deliveries of the same run, concurrent or not, and a crash at
 * any point, leave the run in the table at most once; a version is never half written; a crash
 * after the commit and before the pointer write leaves a pointer one step behind, repaired by the
 * next promotion or redelivery. Exceptions: {@link CommitFailedException} (nothing committed, retry),
 * {@link CommitStateUnknownException} (retry; never clean up), {@link StorageException} (the store
 * failed before a decision; retry).
 */
public final class RunPromotion {

    /** Where held-run records live, below the table root. */
    public static final String HELD_PREFIX = "_held/";

    private static final Logger LOG = Logger.getLogger(RunPromotion.class);

    private final ObjectStore store;
    private final String schemaVersion;
    private final Clock clock;
    private final PromotionChecks checks;
    private final TableVersionLog log;
    private final TableCommitter committer;
    private final LatestPointerWriter pointer;

    /**
     * The promotion of runs of {@code schemaVersion} into the Silver table of that version, in the
     * Silver bucket of {@code layout}.
     */
    public RunPromotion(ObjectStore store, LakeLayout layout, String schemaVersion, CommitPolicy policy, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.schemaVersion = Objects.requireNonNull(schemaVersion, "schemaVersion");
        this.clock = Objects.requireNonNull(clock, "clock");
        TableLocation table = new TableLocation(layout.buckets().silver(), layout.silverTableRoot(schemaVersion));
        this.checks = new PromotionChecks(store, layout, schemaVersion);
        this.log = new TableVersionLog(store, table);
        this.committer = new TableCommitter(store, log, policy, clock);
        this.pointer = new LatestPointerWriter(store, log, schemaVersion, silverDataPrefix(), clock);
    }

    /** The data prefix of the Silver dataset, written as {@code partition_path} in {@code _LATEST.json}. */
    public static String silverDataPrefix() {
        return "silver/" + LakeLayout.DATASET_PATH + "/";
    }

    public TableLocation table() {
        return log.table();
    }

    /** The Silver table's version log (history, snapshots). */
    public TableVersionLog log() {
        return log;
    }

    /** The Silver table's {@code _LATEST.json}. */
    public LatestPointerWriter pointer() {
        return pointer;
    }

    /** Where the held-run record of {@code runId} is written. */
    public Location heldRecord(String runId) {
        return table().controlDocument(HELD_PREFIX + "run_id=" + runId + ".json");
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
        if (current.containsRun(run.runId())) {
            LOG.debugf("Run %s is already in %s version %d", run.runId(), table(), current.version());
            return promoted(run, current, false);
        }

        PromotionCheckResult result = checks.check(run);
        if (!result.passed()) {
            return hold(run, result.failures());
        }

        CommitResult commit = committer.commit(new AppendFiles(run.runId(), result.files()));
        return promoted(run, commit.snapshot(), commit.committed());
    }

    private Decision promoted(RunValidated run, TableSnapshot snapshot, boolean newVersion) {
        LatestPointer latest = refreshPointerBestEffort();
        SortedMap<String, List<DataFile>> files = snapshot.filesOf(run.runId());
        long rows = files.values().stream().flatMap(List::stream).mapToLong(DataFile::rows).sum();
        RunPromoted promoted = new RunPromoted(run.runId(), run.dataset(), schemaVersion, table().root(), snapshot.version(),
                List.copyOf(files.keySet()), rows, pointer.location(), clock.instant());
        return new Decision(Status.PROMOTED, run.runId(), snapshot.version(), newVersion, promoted, latest, List.of(), null);
    }

    /** Work after the commit: must never undo or fail a promotion that happened. */
    private LatestPointer refreshPointerBestEffort() {
        try {
            return pointer.refresh().orElse(null);
        } catch (RuntimeException e) {
            LOG.warnf("Promotion stands, but %s was not refreshed (the next promotion or redelivery repairs it): %s",
                    pointer.location(), e.getMessage());
            return null;
        }
    }

    private Decision hold(RunValidated run, List<CheckFailure> failures) {
        Location record = heldRecord(run.runId());
        HeldRun held = new HeldRun(run.runId(), schemaVersion, table().root(), clock.instant(), failures, run);
        byte[] document;
        try {
            document = EventCodec.mapper().writeValueAsBytes(held);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode held-run record for " + run.runId(), e);
        }
        try {
            store.create(record, document, "application/json");
        } catch (ObjectAlreadyExistsException e) {
            LOG.debugf("Run %s was already held at %s", run.runId(), record);
        }
        LOG.infof("Run %s held, not promoted: %d reason(s), first %s", run.runId(), failures.size(), failures.get(0).code());
        return new Decision(Status.HELD, run.runId(), log.latestVersion(), false, null, null, failures, record);
    }

    /** PROMOTED: the run is part of the table. HELD: it failed its checks and is not. */
    public enum Status {
        PROMOTED,
        HELD
    }

    /**
     * What {@link #promote} decided.
     *
     * @param status       PROMOTED or HELD
     * @param runId        the run
     * @param tableVersion PROMOTED: the version that contains the run (for a run without rows, the
     *                     current version, 0 if none); HELD: the current version, unchanged
     * @param newVersion   true if this call committed {@code tableVersion}
     * @param promoted     the {@code run-promoted} payload to emit; null when HELD
     * @param latest       the {@code _LATEST.json} in place after the promotion; null when HELD, when
     *                     the table has no version, or when refreshing it failed (the promotion stands)
     * @param failures     HELD: every reason; PROMOTED: empty
     * @param heldRecord   HELD: where the held-run record is; null when PROMOTED
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
