package dev.mortgagelake.iceberg;

import dev.mortgagelake.iceberg.IcebergTestLake.Row;
import dev.mortgagelake.publish.table.CatalogSnapshot;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.publish.table.RollbackTo;
import dev.mortgagelake.publish.table.SupersedeRuns;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.validation.silver.SilverSchemaV1;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link IcebergFollower} against the S3 protocol server and the embedded SQLite catalog: one Iceberg
 * snapshot per lake version with exactly its files, whatever the operation, no second snapshot on a
 * repeat or a race, a catch-up after a crash, and column metrics in the file entries.
 */
class IcebergFollowerTest {

    private static final TableIdentifier SILVER = TableIdentifier.of(LakeIcebergTables.DEFAULT_NAMESPACE, "silver_transactions");

    @TempDir
    Path dir;

    @Test
    void everyLakeVersionIsOneSnapshotWithExactlyItsFilesAndTimeTravelShowsTheHistory() throws IOException {
        IcebergTestLake lake = new IcebergTestLake(dir);
        try (IcebergCatalogTables catalog = lake.openCatalog()) {
            var follower = catalog.silver(SilverSchemaV1.SCHEMA_VERSION);
            List<TableSnapshot> versions = new ArrayList<>();

            versions.add(lake.appendRun(List.of(new Row("A1", "100.00", "2024-01-05T10:00:00Z"), new Row("A2", "-5.50", "2024-02-01T00:00:00Z"))));
            follower.follow(lake.silverLog, versions.get(0));
            String first = versions.get(0).runIds().get(0);
            versions.add(lake.appendRun(List.of(new Row("A1", "7.25", "2024-02-10T09:30:00Z"))));
            follower.follow(lake.silverLog, versions.get(1));
            // a backfill re-writes the first run and supersedes it
            String backfill = lake.newRunId();
            versions.add(lake.commit(new SupersedeRuns(backfill, lake.writeRun(backfill, List.of(
                    new Row("A1", "100.00", "2024-01-05T10:00:00Z"), new Row("A2", "-5.55", "2024-02-01T00:00:00Z"))), Set.of(first))));
            follower.follow(lake.silverLog, versions.get(2));
            // an operator rolls back to version 2
            versions.add(lake.commit(new RollbackTo(versions.get(1), versions.get(2).version(), "fiona", "backfill was wrong")));
            CatalogSnapshot last = follower.follow(lake.silverLog, versions.get(3)).orElseThrow();

            Table table = catalog.catalog().loadTable(SILVER);
            List<Snapshot> history = history(table);
            assertThat(history).hasSize(versions.size());
            for (int i = 0; i < versions.size(); i++) {
                TableSnapshot version = versions.get(i);
                Snapshot snapshot = history.get(i);
                assertThat(snapshot.summary()).containsEntry(IcebergFollower.LAKE_VERSION, Long.toString(version.version()))
                        .containsEntry(IcebergFollower.LAKE_OPERATION, version.operation().name())
                        .containsEntry(IcebergFollower.LAKE_RUN_IDS, String.join(",", version.runIds()));
                assertThat(filesAt(table, snapshot.snapshotId())).as("files of version %d", version.version())
                        .isEqualTo(files(lake, version));
                assertThat(rowsAt(table, snapshot.snapshotId())).isEqualTo(version.summary().totalRows());
            }
            assertThat(history.get(0).operation()).isEqualTo(DataOperations.APPEND);
            assertThat(history.get(1).operation()).isEqualTo(DataOperations.APPEND);
            assertThat(history.get(2).operation()).isEqualTo(DataOperations.OVERWRITE);
            assertThat(history.get(3).operation()).isEqualTo(DataOperations.OVERWRITE);
            assertThat(last.snapshotId()).isEqualTo(table.currentSnapshot().snapshotId());
            assertThat(last.metadataLocation()).startsWith("s3://" + lake.layout.buckets().silver() + "/"
                    + lake.layout.silverTableRoot("v1") + LakeIcebergTables.ICEBERG_DIRECTORY + "/metadata/");
            assertThat(follower.snapshotOf(2).orElseThrow().snapshotId()).isEqualTo(history.get(1).snapshotId());
        }
    }

    @Test
    void followingAgainOrFromAnotherProcessMakesNoSecondSnapshot() throws Exception {
        IcebergTestLake lake = new IcebergTestLake(dir);
        TableSnapshot v1 = lake.appendRun(List.of(new Row("A1", "1.00", "2024-03-01T00:00:00Z")));
        TableSnapshot v2 = lake.appendRun(List.of(new Row("A2", "2.00", "2024-03-02T00:00:00Z")));
        TableSnapshot v3 = lake.appendRun(List.of(new Row("A3", "3.00", "2024-04-02T00:00:00Z")));
        // four catalog clients on the same SQLite file, as four publish-service tasks would be
        List<IcebergCatalogTables> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clients.add(lake.openCatalog());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<CatalogSnapshot>> followers = clients.stream()
                    .<Callable<CatalogSnapshot>>map(client -> () -> client.silver("v1").follow(lake.silverLog, v3).orElseThrow())
                    .toList();
            Set<Long> ids = new java.util.HashSet<>();
            for (Future<CatalogSnapshot> result : pool.invokeAll(followers)) {
                ids.add(result.get().snapshotId());
            }
            assertThat(ids).hasSize(1);
            clients.get(0).silver("v1").follow(lake.silverLog, v3);
            clients.get(1).silver("v1").follow(lake.silverLog, v1);

            Table table = clients.get(2).catalog().loadTable(SILVER);
            assertThat(history(table)).extracting(s -> s.summary().get(IcebergFollower.LAKE_VERSION))
                    .containsExactly("1", "2", "3");
            assertThat(filesAt(table, table.currentSnapshot().snapshotId())).isEqualTo(files(lake, v3));
            assertThat(clients.get(3).silver("v1").snapshotOf(v2.version()).orElseThrow().snapshotId())
                    .isEqualTo(history(table).get(1).snapshotId());
        } finally {
            pool.shutdownNow();
            for (IcebergCatalogTables client : clients) {
                client.close();
            }
        }
    }

    @Test
    void aFollowerThatMissedVersionsCatchesUpOneSnapshotPerVersionInOrder() throws IOException {
        IcebergTestLake lake = new IcebergTestLake(dir);
        TableSnapshot v1 = lake.appendRun(List.of(new Row("A1", "1.00", "2024-05-01T00:00:00Z")));
        lake.appendRun(List.of(new Row("A2", "2.00", "2024-06-01T00:00:00Z")));
        TableSnapshot v3 = lake.commit(new RollbackTo(v1, 2, "fiona", "June was wrong"));
        try (IcebergCatalogTables catalog = lake.openCatalog()) {
            catalog.silver("v1").follow(lake.silverLog, v3);
            Table table = catalog.catalog().loadTable(SILVER);
            List<Snapshot> history = history(table);
            assertThat(history).extracting(s -> s.summary().get(IcebergFollower.LAKE_VERSION)).containsExactly("1", "2", "3");
            for (int i = 0; i < 3; i++) {
                assertThat(filesAt(table, history.get(i).snapshotId())).isEqualTo(files(lake, lake.silverLog.read(i + 1)));
            }
        }
    }

    @Test
    void dataFileEntriesCarryPartitionAndColumnMetricsAndTheTableKeepsEverything() throws IOException {
        IcebergTestLake lake = new IcebergTestLake(dir);
        TableSnapshot v1 = lake.appendRun(List.of(new Row("A1", "-12.34", "2024-07-31T23:59:59Z"), new Row("A2", "99.99", "2024-07-01T00:00:00Z")));
        try (IcebergCatalogTables catalog = lake.openCatalog()) {
            catalog.silver("v1").follow(lake.silverLog, v1);
            Table table = catalog.catalog().loadTable(SILVER);
            assertThat(table.properties()).containsEntry(TableProperties.GC_ENABLED, "false")
                    .containsEntry(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "false")
                    .containsKey(TableProperties.DEFAULT_NAME_MAPPING);
            assertThat(table.spec().fields()).singleElement().satisfies(field -> assertThat(field.transform().toString()).isEqualTo("month"));
            assertThat(table.schema().findType("transaction_timestamp")).isEqualTo(Types.TimestampType.withZone());
            assertThat(table.schema().findType("transaction_amount")).isEqualTo(Types.DecimalType.of(18, 2));

            List<org.apache.iceberg.DataFile> entries = entries(table, table.currentSnapshot().snapshotId());
            assertThat(entries).hasSize(1);
            org.apache.iceberg.DataFile entry = entries.get(0);
            int amount = table.schema().findField("transaction_amount").fieldId();
            Types.DecimalType decimal = Types.DecimalType.of(18, 2);
            assertThat(entry.recordCount()).isEqualTo(2);
            assertThat(entry.partition().get(0, Integer.class)).isEqualTo((2024 - 1970) * 12 + 6);
            assertThat(entry.valueCounts()).containsEntry(amount, 2L);
            assertThat(entry.nullValueCounts()).containsEntry(amount, 0L);
            assertThat((BigDecimal) Conversions.fromByteBuffer(decimal, entry.lowerBounds().get(amount))).isEqualByComparingTo("-12.34");
            assertThat((BigDecimal) Conversions.fromByteBuffer(decimal, entry.upperBounds().get(amount))).isEqualByComparingTo("99.99");
        }
    }

    static List<Snapshot> history(Table table) {
        List<Snapshot> newestFirst = new ArrayList<>();
        for (Snapshot s = table.currentSnapshot(); s != null; s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            newestFirst.add(s);
        }
        java.util.Collections.reverse(newestFirst);
        return newestFirst;
    }

    static Map<String, Long> filesAt(Table table, long snapshotId) {
        return entries(table, snapshotId).stream().collect(Collectors.toMap(f -> f.location(), f -> f.recordCount(), (a, b) -> a, TreeMap::new));
    }

    static long rowsAt(Table table, long snapshotId) {
        return entries(table, snapshotId).stream().mapToLong(org.apache.iceberg.DataFile::recordCount).sum();
    }

    static List<org.apache.iceberg.DataFile> entries(Table table, long snapshotId) {
        List<org.apache.iceberg.DataFile> files = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshotId).includeColumnStats().planFiles()) {
            tasks.forEach(task -> files.add(task.file()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static Map<String, Long> files(IcebergTestLake lake, TableSnapshot version) {
        Map<String, Long> files = new TreeMap<>();
        for (List<DataFile> list : version.partitions().values()) {
            for (DataFile file : list) {
                files.put("s3://" + lake.layout.buckets().silver() + "/" + file.key(), file.rows());
            }
        }
        return files;
    }
}
