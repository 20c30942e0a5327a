package dev.mortgagelake.publish.table;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * One immutable version of a table: the WHOLE authoritative state (every data file of every
 * partition), not a delta, so that a reader needs exactly one document to know the table.
 *
 * <p>Stored at {@code <root>_versions/v<version, 20 digits>.json} as snake_case JSON:
 * <pre>
 * {"format_version":1,"version":2,"parent_version":1,"committed_at":"2026-01-21T12:00:00Z",
 *  "commit_id":"6f0c...","operation":"APPEND","run_ids":["20260121T120000000Z-3f9a1c2e"],
 *  "summary":{"total_rows":..,"total_files":..,"total_size_bytes":..,"total_partitions":..,
 *             "added_rows":..,"added_files":..,"removed_rows":..,"removed_files":..,
 *             "changed_partitions":["2026-01"]},
 *  "partitions":{"2026-01":[{"key":"silver/...","run_id":"...","rows":..,"size_bytes":..,"sha256":"..."}]},
 *  "retired_run_ids":["..."],"properties":{"rollback_to_version":"3","reason":"..."},
 *  "source":{"bucket":"lake-gold","root":"silver/mortgages/transactions/_table/schema_v=v1/","version":7}}
 * </pre>
 *
 * <p>Invariant (checked on construction): no file of {@code partitions} belongs to a run in
 * {@code retiredRunIds}. A run is retired when a ROLLBACK removed it or a BACKFILL superseded it;
 * retired runs are carried forward by every later version ({@link #next}), so a redelivered
 * {@code run-validated} can never bring a retired run back; only a ROLLBACK to a version that
 * contains a retired run restores it. Documents written before these two
 * fields existed read as "none retired, no properties".
 *
 * Version 0 ({@link #empty()}) is the table before its first commit; it is never stored.
 *
 * @param formatVersion the document format, {@value #FORMAT_VERSION}
 * @param version       this version, 1, 2, ... (0 only for {@link #empty()})
 * @param parentVersion the version this one was computed from; null for version 1 and the empty table
 * @param committedAt   when the committing attempt built the document
 * @param commitId      random id of the committing attempt: tells an unknown-outcome retry whether
 *                      the document at this version is its own
 * @param operation     what this version did; null only for the empty table
 * @param runIds        the runs this version added (or, for later operations, acted on)
 * @param summary       totals and the difference to the parent
 * @param partitions    partition name (Silver: {@code YYYY-MM}) to its files, sorted by name
 * @param retiredRunIds every run removed from the table by this or an earlier version (sorted, cumulative)
 * @param properties    free-form facts about this version's operation (rollback target, reason, operator)
 * @param source        for a derived table (Gold), the version of the source table (Silver) this
 *                      state was computed from; null (and absent from the document) otherwise
 */
public record TableSnapshot(
        int formatVersion,
        long version,
        Long parentVersion,
        Instant committedAt,
        String commitId,
        TableOperation operation,
        List<String> runIds,
        SnapshotSummary summary,
        SortedMap<String, List<DataFile>> partitions,
        SortedSet<String> retiredRunIds,
        SortedMap<String, String> properties,
        @JsonInclude(JsonInclude.Include.NON_NULL) SnapshotSource source) {

    public static final int FORMAT_VERSION = 1;

    private static final TableSnapshot EMPTY = new TableSnapshot(FORMAT_VERSION, 0, null, null, null, null,
            List.of(), SnapshotSummary.EMPTY, Collections.emptySortedMap(), null, null, null);

    public TableSnapshot {
        if (version < 0) {
            throw new IllegalArgumentException("Negative table version " + version);
        }
        if (version > 0) {
            Objects.requireNonNull(committedAt, "committedAt");
            Objects.requireNonNull(commitId, "commitId");
            Objects.requireNonNull(operation, "operation");
            long expectedParent = version - 1;
            if (expectedParent == 0 ? parentVersion != null : (parentVersion == null || parentVersion != expectedParent)) {
                throw new IllegalArgumentException("Version " + version + " must have parent "
                        + (expectedParent == 0 ? "none" : expectedParent) + ", not " + parentVersion);
            }
        }
        runIds = runIds == null ? List.of() : List.copyOf(runIds);
        summary = summary == null ? SnapshotSummary.EMPTY : summary;
        partitions = copyPartitions(partitions);
        retiredRunIds = retiredRunIds == null || retiredRunIds.isEmpty()
                ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(new TreeSet<>(retiredRunIds));
        properties = properties == null || properties.isEmpty()
                ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(new TreeMap<>(properties));
        for (List<DataFile> files : partitions.values()) {
            for (DataFile file : files) {
                if (retiredRunIds.contains(file.runId())) {
                    throw new IllegalArgumentException("Version " + version + " lists file " + file.key()
                            + " of run " + file.runId() + ", which is retired");
                }
            }
        }
    }

    /** A snapshot of a table that is not derived from another, retiring nothing. */
    public TableSnapshot(int formatVersion, long version, Long parentVersion, Instant committedAt, String commitId,
                         TableOperation operation, List<String> runIds, SnapshotSummary summary,
                         SortedMap<String, List<DataFile>> partitions) {
        this(formatVersion, version, parentVersion, committedAt, commitId, operation, runIds, summary, partitions, null, null, null);
    }

    /** A snapshot of a derived table (Gold) computed from {@code source}. */
    public TableSnapshot(int formatVersion, long version, Long parentVersion, Instant committedAt, String commitId,
                         TableOperation operation, List<String> runIds, SnapshotSummary summary,
                         SortedMap<String, List<DataFile>> partitions, SnapshotSource source) {
        this(formatVersion, version, parentVersion, committedAt, commitId, operation, runIds, summary, partitions, null, null, source);
    }

    /** A snapshot of a table that is not derived from another. */
    public TableSnapshot(int formatVersion, long version, Long parentVersion, Instant committedAt, String commitId,
                         TableOperation operation, List<String> runIds, SnapshotSummary summary,
                         SortedMap<String, List<DataFile>> partitions, SortedSet<String> retiredRunIds,
                         SortedMap<String, String> properties) {
        this(formatVersion, version, parentVersion, committedAt, commitId, operation, runIds, summary, partitions, retiredRunIds,
                properties, null);
    }

    /** The table before its first commit (version 0, no files). Never stored. */
    public static TableSnapshot empty() {
        return EMPTY;
    }

    /** The snapshot that follows {@code base} with the proposed state, stamped for one commit attempt. */
    static TableSnapshot next(TableSnapshot base, ProposedSnapshot proposed, UUID commitId, Instant committedAt) {
        long version = base.version() + 1;
        SortedSet<String> retired = proposed.retiredRunIds() == null ? base.retiredRunIds() : proposed.retiredRunIds();
        return new TableSnapshot(FORMAT_VERSION, version, base.version() == 0 ? null : base.version(), committedAt,
                commitId.toString(), proposed.operation(), proposed.runIds(),
                SnapshotSummary.between(base.partitions(), proposed.partitions()), proposed.partitions(), retired,
                proposed.properties(), proposed.source());
    }

    /** True if a ROLLBACK removed {@code runId} or a BACKFILL superseded it: it may never be appended again. */
    public boolean isRetired(String runId) {
        return retiredRunIds.contains(runId);
    }

    /** Every run with at least one file in this version. */
    public SortedSet<String> runs() {
        TreeSet<String> runs = new TreeSet<>();
        partitions.values().forEach(files -> files.forEach(file -> runs.add(file.runId())));
        return Collections.unmodifiableSortedSet(runs);
    }

    /** True if any file of the table was written by {@code runId}. */
    public boolean containsRun(String runId) {
        return partitions.values().stream().flatMap(List::stream).anyMatch(file -> file.runId().equals(runId));
    }

    /** The files of {@code runId}, by partition (empty if the run is not in this version). */
    public SortedMap<String, List<DataFile>> filesOf(String runId) {
        TreeMap<String, List<DataFile>> files = new TreeMap<>();
        partitions.forEach((partition, list) -> {
            List<DataFile> ofRun = list.stream().filter(file -> file.runId().equals(runId)).toList();
            if (!ofRun.isEmpty()) {
                files.put(partition, ofRun);
            }
        });
        return Collections.unmodifiableSortedMap(files);
    }

    static SortedMap<String, List<DataFile>> copyPartitions(Map<String, List<DataFile>> partitions) {
        if (partitions == null || partitions.isEmpty()) {
            return Collections.emptySortedMap();
        }
        TreeMap<String, List<DataFile>> copy = new TreeMap<>();
        partitions.forEach((partition, files) -> {
            Objects.requireNonNull(partition, "partition name");
            copy.put(partition, files == null ? List.of() : List.copyOf(files));
        });
        return Collections.unmodifiableSortedMap(copy);
    }
}
