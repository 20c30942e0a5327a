package dev.mortgagelake.gold;

import dev.mortgagelake.gold.parquet.AccountBalancesSchemaV1;
import dev.mortgagelake.gold.parquet.GoldPartWriter;
import dev.mortgagelake.gold.parquet.MonthlyReportsSchemaV1;
import dev.mortgagelake.gold.parquet.SilverTransactionReader;
import dev.mortgagelake.gold.parquet.TransactionSummariesSchemaV1;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.parquet.ParquetWriterSettings;
import dev.mortgagelake.parquet.StoredParquetReader;
import dev.mortgagelake.publish.table.CommitResult;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.publish.table.ReplacePartitions;
import dev.mortgagelake.publish.table.SnapshotSource;
import dev.mortgagelake.publish.table.TableCommitter;
import dev.mortgagelake.publish.table.TableLocation;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.ParallelRequests;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One attempt of {@link GoldPublisher}: computes the affected months' Gold rows from one Silver
 * version ({@link #run}), writes and verifies one part per dataset and month under a new Gold run, then
 * commits the three tables against the bases it read ({@link #commit}). Used once: a stale base makes
 * the publisher start a new computation on the new state.
 *
 * <p>Invariant: nothing is committed that was not read back and verified (row count, size, schema);
 * a table already computed from the target Silver version (or a newer one) is neither written nor committed.
 */
final class GoldComputation {

    private static final Logger LOG = Logger.getLogger(GoldComputation.class);

    /**
     * What every computation of one publisher shares: where the lake is, how parts are written, the
     * committers. (A class, not a record: records of this package are serialised and registered for
     * native reflection; this one never leaves the JVM.)
     */
    static final class Context {
        private final ObjectStore store;
        private final LakeLayout layout;
        private final ParquetWriterSettings settings;
        private final TableLocation silverTable;
        private final Map<GoldDataset, TableCommitter> committers;

        Context(ObjectStore store, LakeLayout layout, ParquetWriterSettings settings, TableLocation silverTable,
                Map<GoldDataset, TableCommitter> committers) {
            this.store = store;
            this.layout = layout;
            this.settings = settings;
            this.silverTable = silverTable;
            this.committers = committers;
        }

        ObjectStore store() {
            return store;
        }

        LakeLayout layout() {
            return layout;
        }

        ParquetWriterSettings settings() {
            return settings;
        }

        TableLocation silverTable() {
            return silverTable;
        }

        Map<GoldDataset, TableCommitter> committers() {
            return committers;
        }

        /** The Silver version a Gold snapshot was computed from; 0 for a table never computed (the empty Silver table). */
        long sourceVersion(TableSnapshot gold) {
            SnapshotSource source = gold.source();
            if (source == null || !source.isOf(silverTable)) {
                return 0;
            }
            return source.version();
        }
    }

    private final Context context;
    private final TableSnapshot silver;
    private final SnapshotSource target;
    private final TreeSet<YearMonth> affected;
    private final Map<GoldDataset, TableSnapshot> bases;
    private final RunId runId;
    private final GoldPartWriter writer;
    private final StoredParquetReader reader;
    private final Map<GoldDataset, TreeMap<String, List<DataFile>>> replacements = new EnumMap<>(GoldDataset.class);
    private final Map<GoldDataset, TreeSet<String>> removals = new EnumMap<>(GoldDataset.class);
    private final Map<String, String> footer;
    private long silverRowsRead;
    private long stateRowsRead;

    GoldComputation(Context context, RunId runId, TableSnapshot silver, SnapshotSource target, TreeSet<YearMonth> affected,
                    Map<GoldDataset, TableSnapshot> bases, Path scratch) {
        this.context = context;
        this.runId = runId;
        this.silver = silver;
        this.target = target;
        this.affected = affected;
        this.bases = bases;
        this.writer = new GoldPartWriter(context.store(), context.layout(), scratch, context.settings());
        this.reader = new StoredParquetReader(context.store(), scratch);
        this.footer = Map.of("mortgagelake.source_table", target.root(), "mortgagelake.source_version",
                Long.toString(target.version()));
        for (GoldDataset dataset : GoldDataset.values()) {
            replacements.put(dataset, new TreeMap<>());
            removals.put(dataset, new TreeSet<>());
        }
    }

    void run() {
        if (affected.isEmpty()) {
            return;
        }
        YearMonth earliest = affected.first();
        SortedMap<String, List<DataFile>> silverMonths = nonEmpty(silver.partitions());
        TableSnapshot balances = bases.get(GoldDataset.ACCOUNT_BALANCES);
        SortedMap<String, List<DataFile>> before = balances.partitions().headMap(earliest.toString());

        GoldCalculator calculator;
        YearMonth start;
        if (before.isEmpty()) {
            start = silverMonths.isEmpty() ? earliest : min(earliest, YearMonth.parse(silverMonths.firstKey()));
            calculator = GoldCalculator.startingAt(start);
        } else {
            YearMonth stateMonth = YearMonth.parse(before.lastKey());
            calculator = GoldCalculator.after(stateMonth, monthEnd(stateMonth, before.get(before.lastKey())));
            start = stateMonth.plusMonths(1);
        }
        YearMonth latest = silverMonths.isEmpty() ? null : YearMonth.parse(silverMonths.lastKey());

        SilverTransactionReader transactions = new SilverTransactionReader(reader, context.silverTable().bucket());
        if (latest != null) {
            for (YearMonth month = start; !month.isAfter(latest); month = month.plusMonths(1)) {
                List<DataFile> files = silverMonths.get(month.toString());
                if (files != null) {
                    silverRowsRead += transactions.read(files, calculator::add);
                }
                GoldMonth rows = calculator.closeMonth();
                write(GoldDataset.ACCOUNT_BALANCES, month, rows.accountBalances().stream().map(AccountBalancesSchemaV1::toRecord).toList());
                write(GoldDataset.MONTHLY_REPORTS, month, rows.monthlyReports().stream().map(MonthlyReportsSchemaV1::toRecord).toList());
                if (affected.contains(month) || month.isBefore(earliest)) {
                    write(GoldDataset.TRANSACTION_SUMMARIES, month,
                            rows.transactionSummaries().stream().map(TransactionSummariesSchemaV1::toRecord).toList());
                }
            }
        }
        // Months after the latest Silver month are gone from Silver: their Gold rows go too.
        String after = latest == null ? start.toString() : latest.plusMonths(1).toString();
        for (GoldDataset dataset : GoldDataset.values()) {
            removals.get(dataset).addAll(bases.get(dataset).partitions().tailMap(after).keySet());
        }
        for (YearMonth month : affected) {
            if (bases.get(GoldDataset.TRANSACTION_SUMMARIES).partitions().containsKey(month.toString())
                    && !replacements.get(GoldDataset.TRANSACTION_SUMMARIES).containsKey(month.toString())) {
                removals.get(GoldDataset.TRANSACTION_SUMMARIES).add(month.toString());
            }
        }
    }

    /** Writes the month's file of a dataset, or marks the month for removal if it has no rows. */
    private void write(GoldDataset dataset, YearMonth month, List<GenericRecord> records) {
        if (context.sourceVersion(bases.get(dataset)) >= target.version()) {
            return;
        }
        if (records.isEmpty()) {
            if (bases.get(dataset).partitions().containsKey(month.toString())) {
                removals.get(dataset).add(month.toString());
            }
            return;
        }
        DataFile written = writer.write(dataset, runId, month, records, footer);
        verify(dataset, month, written, records.size());
        replacements.get(dataset).put(month.toString(), List.of(written));
    }

    /**
     * Validates a written Gold part before it can be committed: read back from the store, it has the
     * recorded size, exactly the rows computed, and the dataset's schema. A part that fails is never
     * committed (the publication fails and is retried by the next refresh).
     */
    private void verify(GoldDataset dataset, YearMonth month, DataFile written, int expectedRows) {
        Schema expected = GoldPartWriter.schemaOf(dataset);
        Location location = new Location(GoldPublisher.goldTable(context.layout(), dataset).bucket(), written.key());
        long[] wrongSchema = {0};
        long rows = reader.read(location, written.sizeBytes(), null, record -> {
            if (!record.getSchema().getFields().equals(expected.getFields())) {
                wrongSchema[0]++;
            }
        });
        if (rows != expectedRows || written.rows() != expectedRows || wrongSchema[0] > 0) {
            throw new IllegalStateException("Cannot publish Gold " + dataset.tableName() + " " + month + ": part " + location
                    + " reads back " + rows + " row(s) (" + wrongSchema[0] + " with another schema), the computation made "
                    + expectedRows + " and the manifest entry says " + written.rows());
        }
    }

    private List<AccountBalance> monthEnd(YearMonth month, List<DataFile> files) {
        List<AccountBalance> rows = new ArrayList<>();
        for (DataFile file : files) {
            reader.read(new Location(GoldPublisher.goldTable(context.layout(), GoldDataset.ACCOUNT_BALANCES).bucket(), file.key()), file.sizeBytes(), null,
                    record -> rows.add(AccountBalancesSchemaV1.fromRecord(record, month)));
        }
        stateRowsRead = rows.size();
        return rows;
    }

    GoldPublication commit() {
        // The three tables are independent (each commit checks its own base and source version; a
        // recompute skips a table already at the target), so they are committed concurrently.
        List<GoldDataset> all = List.of(GoldDataset.values());
        List<GoldPublication.Dataset> committed = ParallelRequests.map(all, dataset -> {
            TableSnapshot base = bases.get(dataset);
            if (context.sourceVersion(base) >= target.version()) {
                return new GoldPublication.Dataset(base, false, Set.of(), Set.of());
            }
            ReplacePartitions change = new ReplacePartitions(runId.value(), base.version(), target,
                    replacements.get(dataset), removals.get(dataset));
            CommitResult result = context.committers().get(dataset).commit(change);
            return result.committed()
                    ? new GoldPublication.Dataset(result.snapshot(), true, replacements.get(dataset).keySet(), removals.get(dataset))
                    : new GoldPublication.Dataset(result.snapshot(), false, Set.of(), Set.of());
        });
        Map<GoldDataset, GoldPublication.Dataset> datasets = new EnumMap<>(GoldDataset.class);
        for (int i = 0; i < all.size(); i++) {
            datasets.put(all.get(i), committed.get(i));
        }
        LOG.debugf("Gold run %s for Silver version %d: affected %s", runId, target.version(), affected);
        return new GoldPublication(GoldPublication.Status.PUBLISHED, target.version(), runId.value(), affected, datasets,
                silverRowsRead, stateRowsRead);
    }

    private static SortedMap<String, List<DataFile>> nonEmpty(SortedMap<String, List<DataFile>> partitions) {
        TreeMap<String, List<DataFile>> nonEmpty = new TreeMap<>();
        partitions.forEach((partition, files) -> {
            if (!files.isEmpty()) {
                nonEmpty.put(partition, files);
            }
        });
        return nonEmpty;
    }

    private static YearMonth min(YearMonth a, YearMonth b) {
        return a.isBefore(b) ? a : b;
    }
}
