package dev.mortgagelake.publish.table;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a {@link TableChange} wants the table to become: the operation, the runs it is about, the
 * WHOLE new state (every file of every partition) and, for a derived table, the source version it
 * was computed from. {@link TableCommitter} adds the version, parent, commit id, time and summary.
 *
 * @param retiredRunIds the WHOLE set of retired runs of the next version, or null to carry the
 *                      base's set forward unchanged (APPEND). A BACKFILL adds the superseded runs;
 *                      a ROLLBACK retires the runs it removes and un-retires the runs the restored
 *                      state contains (rolling back over a backfill brings the superseded runs back)
 * @param properties    facts about the operation, stored in the version (e.g. {@code rollback_to_version})
 * @param source        the version of another table this state was computed from (Gold: the Silver
 *                      version); null for tables that are not derived
 */
public record ProposedSnapshot(
        TableOperation operation,
        List<String> runIds,
        SortedMap<String, List<DataFile>> partitions,
        SortedSet<String> retiredRunIds,
        SortedMap<String, String> properties,
        SnapshotSource source) {

    public ProposedSnapshot {
        Objects.requireNonNull(operation, "operation");
        runIds = runIds == null ? List.of() : List.copyOf(runIds);
        partitions = TableSnapshot.copyPartitions(partitions);
        retiredRunIds = retiredRunIds == null ? null : Collections.unmodifiableSortedSet(new TreeSet<>(retiredRunIds));
        properties = properties == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(new TreeMap<>(properties));
    }

    /** A change that retires no run and records no properties (APPEND). */
    public ProposedSnapshot(TableOperation operation, List<String> runIds, SortedMap<String, List<DataFile>> partitions) {
        this(operation, runIds, partitions, null, null, null);
    }

    /** A change of a table that is not derived from another (no source). */
    public ProposedSnapshot(TableOperation operation, List<String> runIds, SortedMap<String, List<DataFile>> partitions,
                            SortedSet<String> retiredRunIds, SortedMap<String, String> properties) {
        this(operation, runIds, partitions, retiredRunIds, properties, null);
    }

    /** A derived table's state (Gold), computed from {@code source}; retires nothing, records no properties. */
    public ProposedSnapshot(TableOperation operation, List<String> runIds, SortedMap<String, List<DataFile>> partitions,
                            SnapshotSource source) {
        this(operation, runIds, partitions, null, null, source);
    }

    /** Convenience for building from any map. */
    public static ProposedSnapshot of(TableOperation operation, List<String> runIds, Map<String, List<DataFile>> partitions) {
        return new ProposedSnapshot(operation, runIds, Collections.unmodifiableSortedMap(new TreeMap<>(partitions)));
    }

    /** Convenience for changes that retire runs and record properties. */
    public static ProposedSnapshot of(TableOperation operation, List<String> runIds, Map<String, List<DataFile>> partitions,
                                      Set<String> retiredRunIds, Map<String, String> properties) {
        return new ProposedSnapshot(operation, runIds, new TreeMap<>(partitions), new TreeSet<>(retiredRunIds),
                new TreeMap<>(properties));
    }
}
