package dev.mortgagelake.publish.table;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Adds a backfill run and retires the runs it supersedes (the earlier runs of the same Bronze
 * content), in one version (operation {@code BACKFILL}): the superseded runs' files leave the table
 * in every partition, the backfill run's files enter it. Nothing is deleted from storage; the
 * superseded runs stay readable under their run paths for audit.
 *
 * <p>Idempotent like {@link AppendFiles}: a base that contains or has retired the backfill run is
 * "no change". Superseded runs that are not in the base are retired all the same, so a late
 * promotion of one of them can never add it back.
 */
public final class SupersedeRuns implements TableChange {

    private final AppendFiles append;
    private final Set<String> superseded;

    /**
     * @param runId      the backfill run
     * @param files      its files by partition (may be empty: a backfill whose rows all failed still
     *                   retires what it supersedes)
     * @param superseded the runs it replaces; must not contain {@code runId}
     */
    public SupersedeRuns(String runId, Map<String, List<DataFile>> files, Set<String> superseded) {
        this.append = new AppendFiles(runId, files);
        this.superseded = Set.copyOf(Objects.requireNonNull(superseded, "superseded"));
        if (this.superseded.contains(runId)) {
            throw new IllegalArgumentException("Run " + runId + " cannot supersede itself");
        }
    }

    @Override
    public Optional<ProposedSnapshot> apply(TableSnapshot base) {
        String runId = append.runId();
        if (base.containsRun(runId) || base.isRetired(runId)) {
            return Optional.empty();
        }
        boolean removesNothing = superseded.stream().noneMatch(base::containsRun) && base.retiredRunIds().containsAll(superseded);
        if (append.files().isEmpty() && removesNothing) {
            return Optional.empty();
        }
        Set<String> existing = new HashSet<>();
        TreeMap<String, List<DataFile>> next = new TreeMap<>();
        base.partitions().forEach((partition, files) -> {
            List<DataFile> kept = files.stream().filter(file -> !superseded.contains(file.runId())).toList();
            kept.forEach(file -> existing.add(file.key()));
            if (!kept.isEmpty()) {
                next.put(partition, kept);
            }
        });
        append.files().forEach((partition, files) -> {
            for (DataFile file : files) {
                if (existing.contains(file.key())) {
                    throw new IllegalStateException("Cannot publish run " + runId + ": its file " + file.key()
                            + " is already in table version " + base.version() + " under another run");
                }
            }
            List<DataFile> merged = new ArrayList<>(next.getOrDefault(partition, List.of()));
            merged.addAll(files);
            next.put(partition, merged);
        });
        TreeSet<String> retired = new TreeSet<>(base.retiredRunIds());
        retired.addAll(superseded);
        return Optional.of(ProposedSnapshot.of(TableOperation.BACKFILL, List.of(runId), next, retired,
                Map.of("superseded_run_ids", String.join(",", new TreeSet<>(superseded)))));
    }

    @Override
    public String toString() {
        return "backfill run " + append.runId() + " superseding " + superseded;
    }
}
