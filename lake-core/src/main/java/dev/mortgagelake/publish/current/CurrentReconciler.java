package dev.mortgagelake.publish.current;

import dev.mortgagelake.publish.table.CatalogSnapshot;
import dev.mortgagelake.publish.table.CatalogTable;
import dev.mortgagelake.publish.table.LatestPointer;
import dev.mortgagelake.publish.table.LatestPointerWriter;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.publish.table.TableVersionLog;
import dev.mortgagelake.storage.StorageException;
import org.jboss.logging.Logger;

import java.util.Objects;
import java.util.Optional;

/**
 * Makes a table's {@code current/} copy, its Iceberg table ({@link CatalogTable}) and its
 * {@code _LATEST.json} follow the version log: the work after a commit, and its repair.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li><b>Order</b>: for the newest version {@code L}, {@code current/} is synced and verified,
 *       then the Iceberg table is brought up to {@code L} (every missing version committed in
 *       order), and only then does {@code _LATEST.json} move to {@code L}, naming the Iceberg
 *       snapshot of {@code L}. A crash anywhere leaves the pointer behind, never ahead of either
 *       follower; the next round completes both.</li>
 *   <li><b>The pointer never runs ahead of {@code current/}</b>: {@code _LATEST.json} is written for
 *       version {@code L} only after {@code current/} was synced to {@code L} and a fresh listing
 *       showed exactly {@code L}'s files ({@link CurrentMirror#matches}).</li>
 *   <li><b>A crash leaves the pointer behind, never wrong</b>: a publisher killed during the copy or
 *       between the copy and the pointer write leaves {@code _LATEST.json} on the previous version
 *       and {@code current/} partly or wholly on the new one; {@link #reconcile()} (the next
 *       promotion, or publish-service's scheduled reconciler) completes both.</li>
 *   <li><b>Always towards the newest version</b>: every round syncs to the newest committed version
 *       and, after writing the pointer, checks that no newer version appeared; if one did, it goes
 *       round again. A sync never targets an older version, so overlapping reconcilers converge.
 *       While two overlap, one may briefly delete a file the other just copied for a newer version;
 *       the one that started later observes the newer version on its next probe and restores it
 *       before returning, so once every reconciler has returned, {@code current/} and the pointer
 *       name the newest version.</li>
 * </ul>
 * Thread-safe; safe to run at any time, as often as wanted (idempotent).
 */
public final class CurrentReconciler {

    /** Bound on rounds; each extra round needs a newer version (or interference) meanwhile. */
    static final int MAX_ROUNDS = 32;

    private static final Logger LOG = Logger.getLogger(CurrentReconciler.class);

    private final TableVersionLog log;
    private final CurrentMirror mirror;
    private final LatestPointerWriter pointer;
    private final CatalogTable catalog;

    /** A reconciler of a table that no Iceberg table follows. */
    public CurrentReconciler(TableVersionLog log, CurrentMirror mirror, LatestPointerWriter pointer) {
        this(log, mirror, pointer, CatalogTable.NONE);
    }

    public CurrentReconciler(TableVersionLog log, CurrentMirror mirror, LatestPointerWriter pointer, CatalogTable catalog) {
        this.log = Objects.requireNonNull(log, "log");
        this.mirror = Objects.requireNonNull(mirror, "mirror");
        this.pointer = Objects.requireNonNull(pointer, "pointer");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /** The Iceberg table that follows this table ({@link CatalogTable#NONE} if none). */
    public CatalogTable catalog() {
        return catalog;
    }

    public CurrentMirror mirror() {
        return mirror;
    }

    /**
     * Syncs {@code current/} to the newest version, verifies it, brings the Iceberg table up to it,
     * then moves {@code _LATEST.json} to that version; repeats while newer versions appear.
     *
     * @return what was done, with the pointer in place; empty if the table has no version yet
     * @throws StorageException if the store fails (the pointer is then at most behind, never ahead)
     */
    public Optional<Reconciliation> reconcile() {
        int copied = 0;
        int deleted = 0;
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            long latest = log.latestVersion();
            if (latest == 0) {
                return Optional.empty();
            }
            TableSnapshot snapshot = log.read(latest);
            CurrentMirror.SyncReport report = mirror.sync(snapshot);
            copied += report.copied();
            deleted += report.deleted();
            if (!mirror.matches(snapshot)) {
                LOG.debugf("%s changed while it was synced to version %d; syncing again", mirror.layout(), latest);
                continue;
            }
            Optional<CatalogSnapshot> iceberg = catalog.follow(log, snapshot);
            LatestPointer published = pointer.publish(snapshot, iceberg);
            if (log.latestVersion() == latest) {
                return Optional.of(new Reconciliation(latest, copied, deleted, published));
            }
        }
        throw new StorageException("Cannot reconcile " + mirror.layout() + ": the table kept moving for " + MAX_ROUNDS
                + " rounds; reconcile again", true);
    }

    /**
     * The outcome of {@link #reconcile()}.
     *
     * @param version the version {@code current/} holds
     * @param copied  files copied into {@code current/} (all rounds)
     * @param deleted stale files deleted from {@code current/} (all rounds)
     * @param pointer the {@code _LATEST.json} in place afterwards (names {@code version} or newer)
     */
    public record Reconciliation(long version, int copied, int deleted, LatestPointer pointer) {

        /** True if anything had to be changed. */
        public boolean repaired() {
            return copied > 0 || deleted > 0;
        }
    }
}
