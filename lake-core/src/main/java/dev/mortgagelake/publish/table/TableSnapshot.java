package dev.mortgagelake.publish.table;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
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
 *  "source":{"bucket":"lake-silver","root":"silver/mortgages/transactions/_table/schema_v=v1/","version":7},
 *  "partitions":{"2026-01":[{"key":"silver/...","run_id":"...","rows":..,"size_bytes":..,"sha256":"..."}]}}
 * </pre>
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
        @JsonInclude(JsonInclude.Include.NON_NULL) SnapshotSource source) {

    public static final int FORMAT_VERSION = 1;

    private static final TableSnapshot EMPTY = new TableSnapshot(FORMAT_VERSION, 0, null, null, null, null,
            List.of(), SnapshotSummary.EMPTY, Collections.emptySortedMap(), null);

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
    }

    /** A snapshot of a table that is not derived from another (no {@code source}). */
    public TableSnapshot(int formatVersion, long version, Long parentVersion, Instant committedAt, String commitId,
                         TableOperation operation, List<String> runIds, SnapshotSummary summary,
                         SortedMap<String, List<DataFile>> partitions) {
        this(formatVersion, version, parentVersion, committedAt, commitId, operation, runIds, summary, partitions, null);
    }

    /** The table before its first commit (version 0, no files). Never stored. */
    public static TableSnapshot empty() {
        return EMPTY;
    }

    /** The snapshot that follows {@code base} with the proposed state, stamped for one commit attempt. */
    static TableSnapshot next(TableSnapshot base, ProposedSnapshot proposed, UUID commitId, Instant committedAt) {
        long version = base.version() + 1;
        return new TableSnapshot(FORMAT_VERSION, version, base.version() == 0 ? null : base.version(), committedAt,
                commitId.toString(), proposed.operation(), proposed.runIds(),
                SnapshotSummary.between(base.partitions(), proposed.partitions()), proposed.partitions(), proposed.source());
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
