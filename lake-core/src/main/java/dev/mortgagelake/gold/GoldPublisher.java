package dev.mortgagelake.gold;

import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.parquet.ParquetWriterSettings;
import dev.mortgagelake.publish.table.CommitFailedException;
import dev.mortgagelake.publish.table.CommitPolicy;
import dev.mortgagelake.publish.table.CommitStateUnknownException;
import dev.mortgagelake.publish.table.LatestPointerWriter;
import dev.mortgagelake.publish.table.ReplacePartitions;
import dev.mortgagelake.publish.table.SnapshotSource;
import dev.mortgagelake.publish.table.SnapshotSummary;
import dev.mortgagelake.publish.table.StaleBaseException;
import dev.mortgagelake.publish.table.TableCommitter;
import dev.mortgagelake.publish.table.TableLocation;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.publish.table.TableVersionLog;
import dev.mortgagelake.storage.ParallelRequests;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.validation.silver.SilverSchemaV1;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Brings the three Gold tables ({@link GoldDataset}) up to one version of the Silver table,
 * recomputing only the months that version changed.
 *
 * <h2>What one publish does</h2>
 * <ol>
 *   <li>Reads the current version of each Gold table. Each records ({@link TableSnapshot#source()})
 *       the Silver version it was computed from. If every table already reflects the requested
 *       Silver version: UP_TO_DATE; if one reflects a newer one: SUPERSEDED. Nothing is written in
 *       either case (Gold never moves back to an older Silver version).</li>
 *   <li><b>Affected months</b> = the months the caller names plus every Silver partition whose files
 *       differ between the Silver version the Gold tables were computed from (the oldest of the
 *       three) and the requested one. Deriving them from the recorded lineage, not only from the
 *       caller, makes a publish that was missed or interrupted earlier catch up.</li>
 *   <li><b>Previous month-end state</b>: the {@code account_balances} rows of the latest Gold month
 *       before the earliest affected month (normally the month right before it). Nothing earlier is
 *       read: the cost does not grow with the history before the affected months.</li>
 *   <li>From the month after that state to the latest month in Silver, reads each month's Silver
 *       rows (from the requested snapshot's partition files) and computes the month
 *       ({@link GoldCalculator}). {@code account_balances} and {@code monthly_reports} are rewritten
 *       for all those months (balances carry forward, so later months change too);
 *       {@code transaction_summaries}, which do not carry forward, only for the affected months.
 *       Months after the latest Silver month, and recomputed months that came out empty, are removed.</li>
 *   <li>Writes one part file per dataset and month under a new Gold run
 *       ({@code gold/finance/<dataset>/schema_v=v1/run_id=<run>/as_of_month=YYYY-MM/part-00000.parquet},
 *       run id {@code ..._GOLD}), then commits one {@link ReplacePartitions} version per Gold table
 *       that names the Silver version as its source; older months keep their files.</li>
 * </ol>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A committed Gold version holds, for every month, exactly the rows {@link GoldCalculator} computes
 *       over the Silver version it names as source (incremental equals full recomputation).</li>
 *   <li>Each table commit applies only to the version the computation read; if another publisher
 *       committed in between, the change is recomputed on the new state
 *       ({@link StaleBaseException}, at most {@link #MAX_RECOMPUTES} times). Redelivery is
 *       idempotent: a table that already reflects the Silver version is left alone.</li>
 *   <li>The three tables are committed independently (concurrently, by {@link GoldComputation}), not atomically: a
 *       publisher stopped in between leaves some tables on the older Silver version; the next
 *       publish (of this or a later version) completes them from the recorded lineage. Readers that
 *       need the three consistent resolve them by source version ({@link GoldLineage}).</li>
 *   <li>Data files are created once and never deleted; files of an attempt that did not commit are
 *       unreferenced garbage. {@code _LATEST.json} is NOT moved here: {@link #pointer} is for the
 *       caller to refresh once {@code current/} is in place.</li>
 * </ul>
 */
public final class GoldPublisher {

    /** Recomputations after another publisher changed a Gold table mid-publish. */
    public static final int MAX_RECOMPUTES = 5;

    private static final Logger LOG = Logger.getLogger(GoldPublisher.class);

    private final ObjectStore store;
    private final LakeLayout layout;
    private final Clock clock;
    private final Path workDir;
    private final ParquetWriterSettings settings;
    private final TableVersionLog silverLog;
    private final Map<GoldDataset, TableCommitter> committers = new EnumMap<>(GoldDataset.class);
    private final Map<GoldDataset, LatestPointerWriter> pointers = new EnumMap<>(GoldDataset.class);
    private final GoldComputation.Context context;

    /**
     * @param workDir an existing local directory for downloads and staging (each publish uses and
     *                removes its own sub-directory)
     */
    public GoldPublisher(ObjectStore store, LakeLayout layout, CommitPolicy policy, Clock clock, Path workDir) {
        this(store, layout, policy, clock, workDir, ParquetWriterSettings.DEFAULT);
    }

    public GoldPublisher(ObjectStore store, LakeLayout layout, CommitPolicy policy, Clock clock, Path workDir,
                         ParquetWriterSettings settings) {
        this.store = Objects.requireNonNull(store, "store");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.silverLog = new TableVersionLog(store, silverTable(layout));
        for (GoldDataset dataset : GoldDataset.values()) {
            TableVersionLog log = new TableVersionLog(store, goldTable(layout, dataset));
            committers.put(dataset, new TableCommitter(store, log, policy, clock));
            pointers.put(dataset, new LatestPointerWriter(store, log, GoldDataset.SCHEMA_VERSION, log.table().root(), clock));
        }
        this.context = new GoldComputation.Context(store, layout, settings, silverLog.table(), committers);
    }

    /** The Silver table Gold is computed from ({@code silverTableRoot("v1")} in the Silver bucket). */
    public static TableLocation silverTable(LakeLayout layout) {
        return new TableLocation(layout.buckets().silver(), layout.silverTableRoot(SilverSchemaV1.SCHEMA_VERSION));
    }

    /** A Gold table: {@code gold/finance/<dataset>/schema_v=v1/} in the Gold bucket. */
    public static TableLocation goldTable(LakeLayout layout, GoldDataset dataset) {
        return new TableLocation(layout.buckets().gold(), layout.goldTableRoot(dataset.tableName(), GoldDataset.SCHEMA_VERSION));
    }

    /** The version log of a Gold table. */
    public TableVersionLog log(GoldDataset dataset) {
        return committers.get(dataset).log();
    }

    /** The {@code _LATEST.json} of a Gold table ({@code partition_path} is the table root); never moved by this class. */
    public LatestPointerWriter pointer(GoldDataset dataset) {
        return pointers.get(dataset);
    }

    /** Brings Gold up to the newest Silver version. */
    public GoldPublication publishLatest() {
        return publish(silverLog.current(), Set.of());
    }

    /** Brings Gold up to Silver {@code silverVersion}; affected months come from the recorded lineage. */
    public GoldPublication publish(long silverVersion) {
        return publish(silverLog.read(silverVersion), Set.of());
    }

    /**
     * Brings Gold up to {@code silver} (a committed version of the Silver table).
     *
     * @param changedMonths months the caller knows changed (e.g. the promoted run's partitions); the
     *                      months changed since Gold's recorded Silver version are added to them
     * @throws CommitFailedException       a Gold table could not be committed (safe to retry)
     * @throws CommitStateUnknownException a Gold commit may or may not have happened (retry; never clean up)
     * @throws StorageException            reading or writing the lake failed (retry if retryable)
     */
    public GoldPublication publish(TableSnapshot silver, Set<YearMonth> changedMonths) {
        Objects.requireNonNull(silver, "silver");
        Objects.requireNonNull(changedMonths, "changedMonths");
        StaleBaseException stale = null;
        for (int attempt = 1; attempt <= MAX_RECOMPUTES; attempt++) {
            try {
                return attempt(silver, changedMonths);
            } catch (StaleBaseException e) {
                stale = e;
                LOG.debugf("Gold for Silver version %d: a table moved during the publish (%s); recomputing", silver.version(), e.getMessage());
            }
        }
        throw new CommitFailedException("Cannot publish Gold for Silver version " + silver.version() + ": the Gold tables kept moving for "
                + MAX_RECOMPUTES + " attempts", stale);
    }

    private GoldPublication attempt(TableSnapshot silver, Set<YearMonth> changedMonths) {
        SnapshotSource target = SnapshotSource.of(silverLog.table(), silver.version());
        Map<GoldDataset, TableSnapshot> bases = new EnumMap<>(GoldDataset.class);
        List<GoldDataset> all = List.of(GoldDataset.values());
        List<TableSnapshot> current = ParallelRequests.map(all, dataset -> log(dataset).current());
        for (int i = 0; i < all.size(); i++) {
            bases.put(all.get(i), current.get(i));
        }
        long newest = bases.values().stream().mapToLong(this::sourceVersion).max().orElseThrow();
        long oldest = bases.values().stream().mapToLong(this::sourceVersion).min().orElseThrow();
        if (newest > silver.version()) {
            return unchanged(GoldPublication.Status.SUPERSEDED, silver.version(), bases);
        }
        if (oldest == silver.version()) {
            return unchanged(GoldPublication.Status.UP_TO_DATE, silver.version(), bases);
        }

        TableSnapshot lineage = oldest <= 0 ? TableSnapshot.empty() : silverLog.read(oldest);
        TreeSet<YearMonth> affected = new TreeSet<>(changedMonths);
        SnapshotSummary.between(lineage.partitions(), silver.partitions()).changedPartitions()
                .forEach(partition -> affected.add(YearMonth.parse(partition)));

        Path scratch = createScratch();
        try {
            GoldComputation computation = new GoldComputation(context, RunId.newRun(clock.instant(), "GOLD"), silver, target,
                    affected, bases, scratch);
            computation.run();
            return computation.commit();
        } finally {
            deleteScratch(scratch);
        }
    }

    /** The Silver version a Gold snapshot was computed from; 0 for a table never computed (the empty Silver table). */
    private long sourceVersion(TableSnapshot gold) {
        return context.sourceVersion(gold);
    }

    private GoldPublication unchanged(GoldPublication.Status status, long silverVersion, Map<GoldDataset, TableSnapshot> bases) {
        Map<GoldDataset, GoldPublication.Dataset> datasets = new EnumMap<>(GoldDataset.class);
        bases.forEach((dataset, base) -> datasets.put(dataset, new GoldPublication.Dataset(base, false, Set.of(), Set.of())));
        return new GoldPublication(status, silverVersion, null, new TreeSet<>(), datasets, 0, 0);
    }

    private Path createScratch() {
        try {
            Files.createDirectories(workDir);
            return Files.createTempDirectory(workDir, "gold-");
        } catch (IOException e) {
            throw new StorageException("Cannot create a Gold work directory under " + workDir + ": " + e.getMessage(), false, e);
        }
    }

    private static void deleteScratch(Path scratch) {
        try (Stream<Path> paths = Files.walk(scratch)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("Cannot remove the Gold work directory %s: %s", scratch, e.getMessage());
        }
    }
}
