package dev.mortgagelake.iceberg;

import dev.mortgagelake.gold.GoldDataset;
import dev.mortgagelake.gold.GoldPublisher;
import dev.mortgagelake.gold.GoldRefresh;
import dev.mortgagelake.iceberg.IcebergTestLake.Row;
import dev.mortgagelake.publish.current.CurrentLayout;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.publish.table.TableVersionLog;
import dev.mortgagelake.storage.StoredObject;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readers of Gold {@code account_balances} while the publisher commits {@value #VERSIONS} versions,
 * each replacing the month every new Silver run touches. A reader through Iceberg resolves one
 * snapshot: every one of its reads must be exactly the file set of a committed lake version (the
 * lake's Gold version log is the oracle). A reader listing {@code current/} has no such guarantee:
 * its reads that match no version (a month's old and new file both listed, or neither) are counted
 * and printed, the figure quoted in docs/ARCHITECTURE.md.
 */
class GoldReadersDuringPublishTest {

    private static final int VERSIONS = 50;
    private static final TableIdentifier BALANCES = TableIdentifier.of(LakeIcebergTables.DEFAULT_NAMESPACE, "gold_account_balances");

    @TempDir
    Path dir;

    @Test
    void everyIcebergReadIsOneCommittedVersionWhileCurrentListingsAreCounted() throws Exception {
        IcebergTestLake lake = new IcebergTestLake(dir);
        GoldPublisher publisher = new GoldPublisher(lake.store, lake.layout, IcebergTestLake.FAST, IcebergTestLake.CLOCK,
                dir.resolve("gold-work"));
        CurrentLayout current = GoldRefresh.currentLayout(lake.layout, GoldDataset.ACCOUNT_BALANCES);
        List<Set<String>> icebergReads = new CopyOnWriteArrayList<>();
        List<Set<String>> currentReads = new CopyOnWriteArrayList<>();
        AtomicBoolean publishing = new AtomicBoolean(true);

        try (IcebergCatalogTables catalog = lake.openCatalog(); IcebergCatalogTables readerCatalog = lake.openCatalog()) {
            GoldRefresh refresh = new GoldRefresh(lake.store, lake.layout, publisher, catalog, GoldRefresh.Observer.NONE);
            refresh.refresh(lake.appendRun(List.of(new Row("A1", "100.00", "2024-01-10T00:00:00Z"),
                    new Row("A2", "50.00", "2024-03-01T00:00:00Z"))));
            Thread reader = new Thread(() -> {
                Table table = readerCatalog.catalog().loadTable(BALANCES);
                while (publishing.get()) {
                    table.refresh();
                    Snapshot snapshot = table.currentSnapshot();
                    icebergReads.add(snapshot == null ? Set.of() : IcebergFollowerTest.filesAt(table, snapshot.snapshotId()).keySet());
                    Set<String> listed = new TreeSet<>();
                    for (StoredObject object : lake.store.list(current.bucket(), current.prefix())) {
                        listed.add(object.location().key());
                    }
                    currentReads.add(listed);
                }
            }, "gold-reader");
            reader.start();
            try {
                for (int i = 2; i <= VERSIONS; i++) {
                    GoldRefresh.Refresh done = refresh.refresh(lake.appendRun(List.of(
                            new Row("A" + (i % 7), i + ".25", "2024-03-%02dT12:00:00Z".formatted(1 + i % 28)))));
                    // A refresh that failed on a dropped connection is repeated, as the publisher's scheduled
                    // catch-up does in production; what this test checks is what readers see meanwhile.
                    for (int attempt = 1; done.failed() && attempt <= 3; attempt++) {
                        System.out.printf("refresh %d failed (%s); catching up, attempt %d%n", i, done.failures(), attempt);
                        done = refresh.catchUp();
                    }
                    assertThat(done.failed()).as("refresh %d: %s", i, done.failures()).isFalse();
                }
            } finally {
                publishing.set(false);
                reader.join();
            }

            TableVersionLog gold = publisher.log(GoldDataset.ACCOUNT_BALANCES);
            assertThat(gold.latestVersion()).isGreaterThanOrEqualTo(VERSIONS);
            List<Set<String>> versionsAsIceberg = new ArrayList<>();
            Set<Set<String>> versionsAsCurrent = new HashSet<>();
            versionsAsIceberg.add(Set.of());
            versionsAsCurrent.add(Set.of());
            for (long v = 1; v <= gold.latestVersion(); v++) {
                TableSnapshot version = gold.read(v);
                Set<String> uris = new TreeSet<>();
                Set<String> names = new TreeSet<>();
                version.partitions().forEach((partition, files) -> {
                    for (DataFile file : files) {
                        uris.add("s3://" + lake.layout.buckets().gold() + "/" + file.key());
                        names.add(current.locate(partition, file).key());
                    }
                });
                versionsAsIceberg.add(uris);
                versionsAsCurrent.add(names);
            }
            assertThat(icebergReads).as("Iceberg reads").isNotEmpty();
            for (Set<String> read : icebergReads) {
                assertThat(versionsAsIceberg).as("an Iceberg read is exactly one committed version").contains(read);
            }
            long mixed = currentReads.stream().filter(read -> !versionsAsCurrent.contains(read)).count();
            System.out.printf("Gold readers during %d publishes: Iceberg %d reads, 0 mixed; current/ %d reads, %d mixed (%.1f%%)%n",
                    VERSIONS, icebergReads.size(), currentReads.size(), mixed, 100.0 * mixed / Math.max(1, currentReads.size()));
        }
    }
}
