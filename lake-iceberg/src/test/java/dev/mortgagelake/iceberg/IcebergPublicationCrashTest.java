package dev.mortgagelake.iceberg;

import dev.mortgagelake.iceberg.IcebergTestLake.Row;
import dev.mortgagelake.publish.RunPromotion;
import dev.mortgagelake.publish.current.CurrentLayout;
import dev.mortgagelake.publish.current.CurrentMirror;
import dev.mortgagelake.publish.current.CurrentReconciler;
import dev.mortgagelake.publish.table.CatalogSnapshot;
import dev.mortgagelake.publish.table.CatalogTable;
import dev.mortgagelake.publish.table.LatestPointer;
import dev.mortgagelake.publish.table.LatestPointerWriter;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.publish.table.TableVersionLog;
import dev.mortgagelake.storage.FaultInjectingObjectStore;
import dev.mortgagelake.storage.ObjectStore;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A publisher stopped at each step after its lake commit: between the commit and the Iceberg commit,
 * and between the Iceberg commit and {@code _LATEST.json}. A process killed there leaves exactly the
 * durable state these tests leave (nothing after the step ran); the "restarted" publisher is a new
 * catalog client and a new reconciler over the same store. Afterwards the lake's log, the Iceberg
 * table and {@code _LATEST.json} agree, with one Iceberg snapshot per version.
 */
class IcebergPublicationCrashTest {

    private static final TableIdentifier SILVER = TableIdentifier.of(LakeIcebergTables.DEFAULT_NAMESPACE, "silver_transactions");

    @TempDir
    Path dir;

    @Test
    void killedBetweenTheLakeCommitAndTheIcebergCommit() throws Exception {
        IcebergTestLake lake = new IcebergTestLake(dir);
        TableSnapshot v1 = lake.appendRun(List.of(new Row("A1", "1.00", "2024-01-01T00:00:00Z")));
        try (IcebergCatalogTables catalog = lake.openCatalog()) {
            reconciler(lake, lake.store, catalog.silver("v1")).reconcile();
        }
        TableSnapshot v2 = lake.appendRun(List.of(new Row("A2", "2.00", "2024-02-01T00:00:00Z")));
        CatalogTable dies = new CatalogTable() {
            @Override
            public Optional<CatalogSnapshot> follow(TableVersionLog log, TableSnapshot target) {
                throw new IllegalStateException("publisher killed before its Iceberg commit");
            }

            @Override
            public Optional<CatalogSnapshot> snapshotOf(long tableVersion) {
                return Optional.empty();
            }
        };
        assertThatThrownBy(() -> reconciler(lake, lake.store, dies).reconcile()).hasMessageContaining("killed");
        assertThat(pointer(lake).tableVersion()).as("the pointer stays on the version Iceberg has").isEqualTo(v1.version());

        try (IcebergCatalogTables restarted = lake.openCatalog()) {
            LatestPointer after = reconciler(lake, lake.store, restarted.silver("v1")).reconcile().orElseThrow().pointer();
            assertAgree(lake, restarted, after, v2);
        }
    }

    @Test
    void killedBetweenTheIcebergCommitAndLatestJson() throws Exception {
        IcebergTestLake lake = new IcebergTestLake(dir);
        TableSnapshot v1 = lake.appendRun(List.of(new Row("A1", "1.00", "2024-01-01T00:00:00Z")));
        FaultInjectingObjectStore faulty = new FaultInjectingObjectStore(lake.store)
                .failBefore(FaultInjectingObjectStore.Call.REPLACE, key -> key.endsWith("_LATEST.json"), false, 1);
        try (IcebergCatalogTables catalog = lake.openCatalog()) {
            assertThatThrownBy(() -> reconciler(lake, faulty, catalog.silver("v1")).reconcile());
            Table table = catalog.catalog().loadTable(SILVER);
            assertThat(IcebergFollower.lakeVersionOf(table.currentSnapshot())).as("Iceberg committed").isEqualTo(v1.version());
        }
        assertThat(lake.store.head(lake.silverLog.table().latestPointer())).as("no pointer yet").isEmpty();

        try (IcebergCatalogTables restarted = lake.openCatalog()) {
            LatestPointer after = reconciler(lake, lake.store, restarted.silver("v1")).reconcile().orElseThrow().pointer();
            assertAgree(lake, restarted, after, v1);
            // and once more: a redelivery or the scheduled reconciler changes nothing
            reconciler(lake, lake.store, restarted.silver("v1")).reconcile();
            assertAgree(lake, restarted, pointer(lake), v1);
        }
    }

    private static void assertAgree(IcebergTestLake lake, IcebergCatalogTables catalog, LatestPointer pointer, TableSnapshot latest) {
        Table table = catalog.catalog().loadTable(SILVER);
        assertThat(lake.silverLog.latestVersion()).isEqualTo(latest.version());
        assertThat(pointer.tableVersion()).isEqualTo(latest.version());
        assertThat(pointer.icebergSnapshotId()).isEqualTo(table.currentSnapshot().snapshotId());
        assertThat(IcebergFollowerTest.history(table)).extracting(s -> s.summary().get(IcebergFollower.LAKE_VERSION))
                .as("one snapshot per version, none doubled")
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, latest.version()).mapToObj(Long::toString).toList());
        assertThat(IcebergFollowerTest.filesAt(table, table.currentSnapshot().snapshotId())).isEqualTo(IcebergFollowerTest.files(lake, latest));
    }

    private static LatestPointer pointer(IcebergTestLake lake) {
        return writer(lake, lake.store).read().orElseThrow();
    }

    private static LatestPointerWriter writer(IcebergTestLake lake, ObjectStore store) {
        return new LatestPointerWriter(store, new TableVersionLog(store, lake.silverLog.table()), "v1", RunPromotion.silverDataPrefix(),
                IcebergTestLake.CLOCK);
    }

    private static CurrentReconciler reconciler(IcebergTestLake lake, ObjectStore store, CatalogTable catalog) {
        TableVersionLog log = new TableVersionLog(store, lake.silverLog.table());
        CurrentMirror mirror = new CurrentMirror(store, CurrentLayout.yearMonth(lake.layout.buckets().silver(),
                lake.layout.silverCurrentPrefix("v1")));
        return new CurrentReconciler(log, mirror, writer(lake, store), catalog);
    }
}
