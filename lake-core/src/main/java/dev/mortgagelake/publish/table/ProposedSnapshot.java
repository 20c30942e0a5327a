package dev.mortgagelake.publish.table;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a {@link TableChange} wants the table to become: the operation, the runs it is about, the
 * WHOLE new state (every file of every partition) and, for a derived table, the source version it
 * was computed from. {@link TableCommitter} adds the version, parent, commit id, time and summary.
 *
 * @param source the version of another table this state was computed from (Gold: the Silver
 *               version); null for tables that are not derived
 */
public record ProposedSnapshot(TableOperation operation, List<String> runIds, SortedMap<String, List<DataFile>> partitions,
                               SnapshotSource source) {

    public ProposedSnapshot {
        Objects.requireNonNull(operation, "operation");
        runIds = runIds == null ? List.of() : List.copyOf(runIds);
        partitions = TableSnapshot.copyPartitions(partitions);
    }

    /** A proposal without a source table. */
    public ProposedSnapshot(TableOperation operation, List<String> runIds, SortedMap<String, List<DataFile>> partitions) {
        this(operation, runIds, partitions, null);
    }

    /** Convenience for building from any map. */
    public static ProposedSnapshot of(TableOperation operation, List<String> runIds, Map<String, List<DataFile>> partitions) {
        return new ProposedSnapshot(operation, runIds, Collections.unmodifiableSortedMap(new TreeMap<>(partitions)));
    }
}
