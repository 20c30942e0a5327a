package dev.mortgagelake.publish.table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Replaces named partitions of a table whole with the files of one run, and removes others; every
 * partition not named keeps its files. Used by derived tables (Gold), whose partitions are
 * recomputed rather than appended to.
 *
 * <p>The replacement was computed from one state of the table (the previous month-end balances live
 * in it), so it applies only to that state:
 * <ol>
 *   <li>if the base already contains a file of {@code runId}, this change was committed before: no change;</li>
 *   <li>if the base was computed from the same source table at {@code source.version} or later, the
 *       table is already at least as new as this change: no change (a derived table never moves back
 *       to an older source by a late or repeated publish);</li>
 *   <li>if the base is not {@code expectedBaseVersion}, another writer changed the table since the
 *       replacement was computed: {@link StaleBaseException} (recompute, then commit again);</li>
 *   <li>otherwise the next state is the base with the replaced partitions swapped and the removed
 *       ones dropped, tagged with {@code source}. A change that swaps nothing is still committed:
 *       the new version records that the table reflects {@code source}.</li>
 * </ol>
 */
public final class ReplacePartitions implements TableChange {

    private final String runId;
    private final long expectedBaseVersion;
    private final SnapshotSource source;
    private final Map<String, List<DataFile>> replacements;
    private final SortedSet<String> removals;

    /**
     * @param runId               the run that wrote every replacement file
     * @param expectedBaseVersion the table version the replacement was computed from (0: the empty table)
     * @param source              the source-table version the new state reflects; null for none
     * @param replacements        partition to its new files (all of {@code runId}, at least one each)
     * @param removals            partitions to drop (absent ones are ignored); disjoint from {@code replacements}
     */
    public ReplacePartitions(String runId, long expectedBaseVersion, SnapshotSource source,
                             Map<String, List<DataFile>> replacements, Set<String> removals) {
        this.runId = Objects.requireNonNull(runId, "runId");
        if (expectedBaseVersion < 0) {
            throw new IllegalArgumentException("Negative base version " + expectedBaseVersion);
        }
        this.expectedBaseVersion = expectedBaseVersion;
        this.source = source;
        TreeMap<String, List<DataFile>> copy = new TreeMap<>();
        Set<String> keys = new HashSet<>();
        replacements.forEach((partition, files) -> {
            if (files.isEmpty()) {
                throw new IllegalArgumentException("Partition " + partition + " would be replaced by no file; remove it instead");
            }
            for (DataFile file : files) {
                if (!runId.equals(file.runId())) {
                    throw new IllegalArgumentException("File " + file.key() + " belongs to run " + file.runId() + ", not " + runId);
                }
                if (!keys.add(file.key())) {
                    throw new IllegalArgumentException("File " + file.key() + " is listed twice");
                }
            }
            copy.put(partition, List.copyOf(files));
        });
        this.replacements = Collections.unmodifiableMap(copy);
        TreeSet<String> dropped = new TreeSet<>(removals);
        dropped.retainAll(copy.keySet());
        if (!dropped.isEmpty()) {
            throw new IllegalArgumentException("Partitions both replaced and removed: " + dropped);
        }
        this.removals = Collections.unmodifiableSortedSet(new TreeSet<>(removals));
    }

    public String runId() {
        return runId;
    }

    public Map<String, List<DataFile>> replacements() {
        return replacements;
    }

    public SortedSet<String> removals() {
        return removals;
    }

    @Override
    public Optional<ProposedSnapshot> apply(TableSnapshot base) {
        if (base.containsRun(runId)) {
            return Optional.empty();
        }
        if (source != null && base.source() != null && base.source().bucket().equals(source.bucket())
                && base.source().root().equals(source.root()) && base.source().version() >= source.version()) {
            return Optional.empty();
        }
        if (base.version() != expectedBaseVersion) {
            throw new StaleBaseException(toString(), expectedBaseVersion, base.version());
        }
        TreeMap<String, List<DataFile>> next = new TreeMap<>(base.partitions());
        removals.forEach(next::remove);
        replacements.forEach((partition, files) -> next.put(partition, new ArrayList<>(files)));
        return Optional.of(new ProposedSnapshot(TableOperation.REPLACE_PARTITIONS, List.of(runId),
                Collections.unmodifiableSortedMap(next), source));
    }

    @Override
    public String toString() {
        return "replace partitions " + replacements.keySet() + " and remove " + removals + " by run " + runId;
    }
}
