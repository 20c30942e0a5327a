package dev.mortgagelake.gold;

import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.publish.SilverChangeListener;
import dev.mortgagelake.publish.current.CurrentLayout;
import dev.mortgagelake.publish.current.CurrentMirror;
import dev.mortgagelake.publish.current.CurrentReconciler;
import dev.mortgagelake.publish.table.CatalogTables;
import dev.mortgagelake.publish.table.LatestPointer;
import dev.mortgagelake.publish.table.SnapshotSource;
import dev.mortgagelake.publish.table.TableLocation;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.publish.table.TableVersionLog;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.ParallelRequests;
import org.jboss.logging.Logger;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Keeps Gold following the Silver table: the {@link SilverChangeListener} that publish-service
 * registers on {@link dev.mortgagelake.publish.RunPromotion}, so Gold is refreshed after every
 * Silver version (APPEND, approval, BACKFILL supersede, ROLLBACK).
 *
 * <h2>One refresh, in order</h2>
 * <ol>
 *   <li>{@link GoldPublisher#publish(TableSnapshot, Set)} for the Silver version with the months it
 *       changed ({@code summary().changedPartitions()}); the publisher adds every month changed since
 *       the Silver version Gold was computed from, so a missed refresh is caught up. A rollback is a
 *       Silver version like any other: the months it changed are recomputed from the rolled-back
 *       Silver state (Gold is never rolled back itself).</li>
 *   <li>For each Gold dataset, its {@link CurrentReconciler} (the {@code as_of_month=YYYY-MM}
 *       {@link #currentLayout} of the dataset): {@code current/} is synced to the newest Gold version and
 *       verified, and only then is that dataset's {@code _LATEST.json} moved.</li>
 * </ol>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li><b>Never undoes Silver</b>: every failure is caught, logged and reported in the {@link Refresh}
 *       (and to the {@link Observer}, for metrics); {@link #committed} never throws.</li>
 *   <li><b>A Gold pointer never runs ahead of its {@code current/}</b> (the reconciler's invariant);
 *       a dataset whose publish or reconcile failed keeps its previous pointer.</li>
 *   <li><b>Idempotent and self-repairing</b>: a refresh of a version Gold already reflects only
 *       re-checks {@code current/}; {@link #catchUp} (the scheduled job) brings Gold to the newest Silver
 *       version and repairs every {@code current/}.</li>
 * </ul>
 * Thread-safe (the publisher and reconcilers are).
 */
public final class GoldRefresh implements SilverChangeListener {

    /** The partition column of every Gold table, and of its {@code current/} directories. */
    public static final String PARTITION_COLUMN = "as_of_month";

    private static final Logger LOG = Logger.getLogger(GoldRefresh.class);

    private final GoldPublisher publisher;
    private final Map<GoldDataset, CurrentReconciler> reconcilers = new EnumMap<>(GoldDataset.class);
    private final Observer observer;
    private final TableLocation silverTable;

    /** Gold without Iceberg tables. */
    public GoldRefresh(ObjectStore store, LakeLayout layout, GoldPublisher publisher, Observer observer) {
        this(store, layout, publisher, CatalogTables.NONE, observer);
    }

    /** Gold whose tables are each followed by the Iceberg table {@code catalog.gold(dataset)}. */
    public GoldRefresh(ObjectStore store, LakeLayout layout, GoldPublisher publisher, CatalogTables catalog, Observer observer) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(layout, "layout");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.silverTable = GoldPublisher.silverTable(layout);
        for (GoldDataset dataset : GoldDataset.values()) {
            reconcilers.put(dataset, new CurrentReconciler(publisher.log(dataset),
                    new CurrentMirror(store, currentLayout(layout, dataset)), publisher.pointer(dataset), catalog.gold(dataset)));
        }
    }

    /** {@code gold/finance/<dataset>/schema_v=v1/current/as_of_month=YYYY-MM/<run>-part-00000.parquet}. */
    public static CurrentLayout currentLayout(LakeLayout layout, GoldDataset dataset) {
        return CurrentLayout.column(layout.buckets().gold(), layout.goldCurrentPrefix(dataset.tableName(), GoldDataset.SCHEMA_VERSION),
                PARTITION_COLUMN);
    }

    public GoldPublisher publisher() {
        return publisher;
    }

    /** The reconciler of a Gold table's {@code current/} and {@code _LATEST.json}; callers outside this package use the operations below. */
    CurrentReconciler reconciler(GoldDataset dataset) {
        return reconcilers.get(dataset);
    }

    /** The prefix of a Gold dataset's {@code current/} in the Gold bucket. */
    public String currentPrefix(GoldDataset dataset) {
        return reconcilers.get(dataset).mirror().layout().prefix();
    }

    /** Whether a Gold dataset's {@code current/} holds exactly the files of {@code snapshot}. */
    public boolean currentMatches(GoldDataset dataset, TableSnapshot snapshot) {
        return reconcilers.get(dataset).mirror().matches(snapshot);
    }

    /** Brings a Gold dataset's {@code current/}, catalog table and {@code _LATEST.json} up to its newest logged version. */
    public Optional<CurrentReconciler.Reconciliation> reconcile(GoldDataset dataset) {
        return reconcilers.get(dataset).reconcile();
    }

    @Override
    public void committed(TableSnapshot silver) {
        refresh(silver);
    }

    /**
     * Publishes Gold for {@code silver} (its changed months and whatever Gold missed), then reconciles
     * each Gold table's {@code current/} and pointer. Never throws.
     */
    public Refresh refresh(TableSnapshot silver) {
        Objects.requireNonNull(silver, "silver");
        TreeSet<YearMonth> months = new TreeSet<>();
        for (String partition : silver.summary().changedPartitions()) {
            try {
                months.add(YearMonth.parse(partition));
            } catch (DateTimeParseException e) {
                LOG.warnf("Silver version %d names partition '%s', not a month; ignored for Gold", silver.version(), partition);
            }
        }
        return run(silver.version(), () -> publisher.publish(silver, months));
    }

    /** Brings Gold up to the newest Silver version and repairs every Gold {@code current/} and pointer. Never throws. */
    public Refresh catchUp() {
        return run(-1, publisher::publishLatest);
    }

    private Refresh run(long silverVersion, Supplier<GoldPublication> publish) {
        Map<String, String> failures = new TreeMap<>();
        GoldPublication publication = null;
        try {
            publication = publish.get();
        } catch (RuntimeException e) {
            failures.put("publish", e.toString());
            LOG.warnf(e, "Silver stands, but Gold was not published for Silver version %s (the next promotion or the reconcile job"
                    + " catches up)", silverVersion < 0 ? "latest" : Long.toString(silverVersion));
        }
        // Each dataset's current/ and pointer are its own: reconciled concurrently, failures kept per dataset.
        Map<GoldDataset, CurrentReconciler.Reconciliation> reconciled = new EnumMap<>(GoldDataset.class);
        List<GoldDataset> datasets = List.of(GoldDataset.values());
        List<Object> outcomes = ParallelRequests.map(datasets, dataset -> {
            try {
                return reconcilers.get(dataset).reconcile().orElse(null);
            } catch (RuntimeException e) {
                return e;
            }
        });
        for (int i = 0; i < datasets.size(); i++) {
            GoldDataset dataset = datasets.get(i);
            if (outcomes.get(i) instanceof RuntimeException e) {
                failures.put(dataset.tableName(), e.toString());
                LOG.warnf("Gold %s: current/ and _LATEST.json were not reconciled (the next refresh or the reconcile job repairs"
                        + " them): %s", dataset.tableName(), e.getMessage());
            } else if (outcomes.get(i) instanceof CurrentReconciler.Reconciliation r) {
                reconciled.put(dataset, r);
            }
        }
        long version = publication != null ? publication.silverVersion() : silverVersion;
        Refresh refresh = new Refresh(version, publication == null ? null : publication.status(), reconciled, failures);
        try {
            observer.refreshed(refresh);
        } catch (RuntimeException e) {
            LOG.warnf("Gold refresh observer failed: %s", e.getMessage());
        }
        if (publication != null && publication.status() == GoldPublication.Status.PUBLISHED) {
            LOG.infof("Gold published for Silver version %d (run %s, months %s): %s", version, publication.runId(),
                    publication.affectedMonths(), refresh.versions());
        }
        return refresh;
    }

    @Override
    public Map<String, Long> derivedVersions(long silverVersion) {
        return versionsFor(silverVersion);
    }

    /**
     * Per Gold dataset name, the newest Gold version computed from Silver {@code silverVersion} whose
     * {@code _LATEST.json} names it or a later version (so its {@code current/} was in place). Walks
     * each Gold log back from its newest version only while the source is not older than
     * {@code silverVersion} (sources never decrease along a Gold log), so the cost does not grow with history.
     */
    public SortedMap<String, Long> versionsFor(long silverVersion) {
        SortedMap<String, Long> versions = new TreeMap<>();
        for (GoldDataset dataset : GoldDataset.values()) {
            Optional<LatestPointer> pointer = publisher.pointer(dataset).read();
            if (pointer.isEmpty()) {
                continue;
            }
            TableVersionLog log = publisher.log(dataset);
            List<Long> all = log.versions();
            for (int i = all.size() - 1; i >= 0; i--) {
                TableSnapshot gold = log.read(all.get(i));
                SnapshotSource source = gold.source();
                if (source == null || !source.isOf(silverTable) || source.version() < silverVersion) {
                    break;
                }
                if (source.version() == silverVersion) {
                    if (pointer.get().tableVersion() >= gold.version()) {
                        versions.put(dataset.tableName(), gold.version());
                    }
                    break;
                }
            }
        }
        return versions;
    }

    /** Told about every refresh (publish-service counts them). */
    @FunctionalInterface
    public interface Observer {
        /** Observes nothing. */
        Observer NONE = refresh -> { };

        void refreshed(Refresh refresh);
    }

    /**
     * What one refresh did.
     *
     * @param silverVersion the Silver version Gold was asked to reflect (-1 if the publish failed before it was known)
     * @param status        the publish outcome; null if publishing failed
     * @param reconciled    per Gold dataset whose {@code current/} and pointer were reconciled: the outcome
     * @param failures      what failed ({@code publish} or a dataset name) with the error; empty if nothing did
     */
    public record Refresh(long silverVersion, GoldPublication.Status status, Map<GoldDataset, CurrentReconciler.Reconciliation> reconciled,
                          Map<String, String> failures) {

        public Refresh {
            reconciled = Collections.unmodifiableMap(reconciled.isEmpty() ? new EnumMap<>(GoldDataset.class) : new EnumMap<>(reconciled));
            failures = Collections.unmodifiableMap(new TreeMap<>(failures));
        }

        public boolean failed() {
            return !failures.isEmpty();
        }

        /** Dataset name to the Gold version its {@code current/} and pointer hold after the refresh. */
        public SortedMap<String, Long> versions() {
            SortedMap<String, Long> versions = new TreeMap<>();
            reconciled.forEach((dataset, r) -> versions.put(dataset.tableName(), r.version()));
            return versions;
        }
    }
}
