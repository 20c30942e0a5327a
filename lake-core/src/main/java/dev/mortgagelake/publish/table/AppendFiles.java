package dev.mortgagelake.publish.table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Adds the data files of one run, by partition, to whatever the table holds.
 *
 * <p>Idempotent per run: if the base already contains a file of {@code runId}, the run was appended
 * before (runs are appended whole, in one version) and the change is "no change". A run without
 * files (every row quarantined) is also "no change": appending nothing would only make an empty
 * version. A run the base has retired (rolled back or superseded) is "no change" too: it never
 * comes back.
 */
public final class AppendFiles implements TableChange {

    private final String runId;
    private final Map<String, List<DataFile>> files;

    /**
     * @param runId the run whose files are appended
     * @param files partition name to the run's files in it; every file must belong to {@code runId}
     */
    public AppendFiles(String runId, Map<String, List<DataFile>> files) {
        this.runId = Objects.requireNonNull(runId, "runId");
        Map<String, List<DataFile>> copy = new TreeMap<>();
        Set<String> keys = new HashSet<>();
        for (Map.Entry<String, List<DataFile>> partition : files.entrySet()) {
            for (DataFile file : partition.getValue()) {
                if (!runId.equals(file.runId())) {
                    throw new IllegalArgumentException("File " + file.key() + " belongs to run " + file.runId() + ", not " + runId);
                }
                if (!keys.add(file.key())) {
                    throw new IllegalArgumentException("File " + file.key() + " is listed twice");
                }
            }
            if (!partition.getValue().isEmpty()) {
                copy.put(partition.getKey(), List.copyOf(partition.getValue()));
            }
        }
        this.files = Collections.unmodifiableMap(copy);
    }

    public String runId() {
        return runId;
    }

    public Map<String, List<DataFile>> files() {
        return files;
    }

    @Override
    public Optional<ProposedSnapshot> apply(TableSnapshot base) {
        if (files.isEmpty() || base.containsRun(runId) || base.isRetired(runId)) {
            return Optional.empty();
        }
        Set<String> existing = new HashSet<>();
        base.partitions().values().forEach(list -> list.forEach(file -> existing.add(file.key())));
        TreeMap<String, List<DataFile>> next = new TreeMap<>(base.partitions());
        for (Map.Entry<String, List<DataFile>> partition : files.entrySet()) {
            for (DataFile file : partition.getValue()) {
                if (existing.contains(file.key())) {
                    throw new IllegalStateException("Cannot publish run " + runId + ": its file " + file.key()
                            + " is already in table version " + base.version() + " under another run");
                }
            }
            List<DataFile> merged = new ArrayList<>(next.getOrDefault(partition.getKey(), List.of()));
            merged.addAll(partition.getValue());
            next.put(partition.getKey(), merged);
        }
        return Optional.of(ProposedSnapshot.of(TableOperation.APPEND, List.of(runId), next));
    }

    @Override
    public String toString() {
        return "append run " + runId + " (" + files.keySet() + ")";
    }
}
