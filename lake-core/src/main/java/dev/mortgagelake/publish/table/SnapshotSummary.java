package dev.mortgagelake.publish.table;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Totals of a snapshot and what it changed relative to its parent, derived from the two file sets
 * (files are identified by key). {@code changedPartitions} are the partitions whose file list
 * differs from the parent's: downstream builders (Gold) recompute only those.
 */
public record SnapshotSummary(
        long totalRows,
        long totalFiles,
        long totalSizeBytes,
        int totalPartitions,
        long addedRows,
        long addedFiles,
        long removedRows,
        long removedFiles,
        List<String> changedPartitions) {

    /** The summary of the empty table. */
    public static final SnapshotSummary EMPTY = new SnapshotSummary(0, 0, 0, 0, 0, 0, 0, 0, List.of());

    public SnapshotSummary {
        changedPartitions = changedPartitions == null ? List.of() : List.copyOf(changedPartitions);
    }

    /** The summary of {@code next} relative to {@code parent} (both whole table states). */
    public static SnapshotSummary between(SortedMap<String, List<DataFile>> parent, SortedMap<String, List<DataFile>> next) {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(next, "next");
        Map<String, DataFile> before = byKey(parent);
        Map<String, DataFile> after = byKey(next);

        long totalRows = 0;
        long totalSize = 0;
        long addedRows = 0;
        long addedFiles = 0;
        for (DataFile file : after.values()) {
            totalRows += file.rows();
            totalSize += file.sizeBytes();
            if (!before.containsKey(file.key())) {
                addedRows += file.rows();
                addedFiles++;
            }
        }
        long removedRows = 0;
        long removedFiles = 0;
        for (DataFile file : before.values()) {
            if (!after.containsKey(file.key())) {
                removedRows += file.rows();
                removedFiles++;
            }
        }
        TreeSet<String> changed = new TreeSet<>();
        TreeSet<String> partitions = new TreeSet<>(parent.keySet());
        partitions.addAll(next.keySet());
        for (String partition : partitions) {
            List<DataFile> was = parent.getOrDefault(partition, List.of());
            List<DataFile> is = next.getOrDefault(partition, List.of());
            if (!new java.util.HashSet<>(was).equals(new java.util.HashSet<>(is))) {
                changed.add(partition);
            }
        }
        return new SnapshotSummary(totalRows, after.size(), totalSize, next.size(),
                addedRows, addedFiles, removedRows, removedFiles, List.copyOf(changed));
    }

    private static Map<String, DataFile> byKey(SortedMap<String, List<DataFile>> partitions) {
        Map<String, DataFile> files = new HashMap<>();
        for (Map.Entry<String, List<DataFile>> partition : partitions.entrySet()) {
            for (DataFile file : partition.getValue()) {
                if (files.put(file.key(), file) != null) {
                    throw new IllegalArgumentException("Data file " + file.key() + " is listed twice (second time in partition "
                            + partition.getKey() + ")");
                }
            }
        }
        return files;
    }
}
