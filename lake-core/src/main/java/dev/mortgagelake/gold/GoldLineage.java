package dev.mortgagelake.gold;

import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.publish.table.SnapshotSource;
import dev.mortgagelake.publish.table.TableLocation;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.publish.table.TableVersionLog;
import dev.mortgagelake.storage.ObjectStore;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolves one Silver version to one version of each Gold dataset: the newest version of each Gold
 * table whose {@code source} names that Silver version. The three versions found were computed from
 * the same Silver rows, so they are consistent with each other (a month's
 * {@code monthly_reports.closing_balance_total} is the sum of its {@code account_balances}).
 */
public final class GoldLineage {

    private final TableLocation silverTable;
    private final Map<GoldDataset, TableVersionLog> logs = new EnumMap<>(GoldDataset.class);

    public GoldLineage(ObjectStore store, LakeLayout layout) {
        Objects.requireNonNull(store, "store");
        this.silverTable = GoldPublisher.silverTable(layout);
        for (GoldDataset dataset : GoldDataset.values()) {
            logs.put(dataset, new TableVersionLog(store, GoldPublisher.goldTable(layout, dataset)));
        }
    }

    /**
     * The Gold versions computed from Silver {@code silverVersion}, one per dataset, or empty if some
     * dataset has none (Gold was not published for that Silver version, or not yet completely).
     * Walks each Gold log from its newest version back.
     */
    public Optional<Map<GoldDataset, TableSnapshot>> resolve(long silverVersion) {
        Map<GoldDataset, TableSnapshot> found = new EnumMap<>(GoldDataset.class);
        for (Map.Entry<GoldDataset, TableVersionLog> entry : logs.entrySet()) {
            Optional<TableSnapshot> version = find(entry.getValue(), silverVersion);
            if (version.isEmpty()) {
                return Optional.empty();
            }
            found.put(entry.getKey(), version.get());
        }
        return Optional.of(found);
    }

    private Optional<TableSnapshot> find(TableVersionLog log, long silverVersion) {
        List<Long> versions = log.versions();
        for (int i = versions.size() - 1; i >= 0; i--) {
            TableSnapshot snapshot = log.read(versions.get(i));
            SnapshotSource source = snapshot.source();
            if (source != null && source.isOf(silverTable) && source.version() == silverVersion) {
                return Optional.of(snapshot);
            }
        }
        return Optional.empty();
    }
}
