package dev.mortgagelake.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.storage.Location;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The {@code manifest.json} of one Silver partition of one run: which part files make up the
 * partition, with their sizes, SHA-256 and row counts, and where the rows came from. Written by
 * validation after every part file of the run is uploaded and before the partition's
 * {@code _SUCCESS}; read by publish to check a run before promoting it.
 *
 * <p>JSON shape ({@code snake_case}, {@link EventCodec#mapper()}):
 * <pre>
 * {
 *   "manifest_version": 1,
 *   "dataset": "mortgages/transactions",
 *   "run_id": "20260121T120000000Z-3f9a1c2e",
 *   "run_kind": "INGEST",
 *   "schema_version": "v1",
 *   "year_month": "2024-01",
 *   "rows": 2,
 *   "files": [ {"key": "silver/.../part-00000.parquet", "size_bytes": 1234, "sha256": "ab12...", "rows": 2} ],
 *   "input": { "bronze": {"bucket": "lake", "key": "bronze/.../file.csv.gz"}, "sha256": "cd34...", "size_bytes": 456 },
 *   "run_totals": { "rows_read": 10, "silver": 8, "quarantined": 2, "condemned": 0 },
 *   "created_at": "2026-01-21T12:00:05Z"
 * }
 * </pre>
 * File keys are full object keys in the Silver bucket (the bucket of the manifest itself).
 *
 * <p>Guarantees enforced on construction (so also when parsing): at least one file, {@code rows} is
 * the sum of the files' rows, the run totals balance ({@code rows_read = silver + quarantined +
 * condemned}) and cover this partition's rows.
 *
 * @param manifestVersion version of this document's shape (1)
 * @param dataset         {@code mortgages/transactions}
 * @param runId           the run that wrote the partition
 * @param runKind         {@code INGEST} or {@code BACKFILL} (copied from {@code file-landed})
 * @param schemaVersion   the Silver schema version ({@code v1})
 * @param yearMonth       the business month, {@code YYYY-MM}
 * @param rows            rows in the partition
 * @param files           the part files, in part order
 * @param input           the Bronze file the run read
 * @param runTotals       the whole run's counts (all partitions and quarantine)
 * @param createdAt       when the manifest was written
 */
public record PartitionManifest(
        int manifestVersion,
        String dataset,
        String runId,
        String runKind,
        String schemaVersion,
        String yearMonth,
        long rows,
        List<FileEntry> files,
        Input input,
        RunValidated.Counts runTotals,
        Instant createdAt) {

    public static final int CURRENT_VERSION = 1;

    public PartitionManifest {
        Objects.requireNonNull(runId, "run_id");
        Objects.requireNonNull(schemaVersion, "schema_version");
        Objects.requireNonNull(yearMonth, "year_month");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(runTotals, "run_totals");
        Objects.requireNonNull(createdAt, "created_at");
        files = files == null ? List.of() : List.copyOf(files);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("A partition manifest lists at least one file (run " + runId + ", " + yearMonth + ")");
        }
        long sum = files.stream().mapToLong(FileEntry::rows).sum();
        if (sum != rows) {
            throw new IllegalArgumentException("Manifest rows " + rows + " differ from the sum of its files' rows " + sum
                    + " (run " + runId + ", " + yearMonth + ")");
        }
        if (!runTotals.balanced()) {
            throw new IllegalArgumentException("Run totals do not balance: " + runTotals + " (run " + runId + ")");
        }
        if (runTotals.silver() < rows) {
            throw new IllegalArgumentException("Run totals list " + runTotals.silver() + " Silver rows but partition " + yearMonth
                    + " alone holds " + rows + " (run " + runId + ")");
        }
    }

    /**
     * One part file.
     *
     * @param key       full object key in the Silver bucket
     * @param sizeBytes object size
     * @param sha256    lower-case hex SHA-256 of the object
     * @param rows      rows in the file
     */
    public record FileEntry(String key, long sizeBytes, String sha256, long rows) {
        public FileEntry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(sha256, "sha256");
            if (sizeBytes <= 0 || rows <= 0) {
                throw new IllegalArgumentException("A part file has a positive size and row count: " + key);
            }
        }
    }

    /**
     * The run's input.
     *
     * @param bronze    the Bronze object
     * @param sha256    lower-case hex SHA-256 of its bytes, as read by validation
     * @param sizeBytes its size, as read by validation
     */
    public record Input(Location bronze, String sha256, long sizeBytes) {
        public Input {
            Objects.requireNonNull(bronze, "bronze");
            Objects.requireNonNull(sha256, "sha256");
        }
    }

    /** Whether {@code other} describes the same partition content (everything but {@code created_at}). */
    public boolean sameContentAs(PartitionManifest other) {
        return other != null && equals(new PartitionManifest(other.manifestVersion, other.dataset, other.runId, other.runKind,
                other.schemaVersion, other.yearMonth, other.rows, other.files, other.input, other.runTotals, createdAt));
    }

    /** The manifest as pretty-printed JSON. */
    public byte[] toJson() {
        try {
            return EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode the manifest of run " + runId + ", " + yearMonth, e);
        }
    }

    /**
     * Parses a manifest.
     *
     * @throws IllegalArgumentException if the bytes are not a valid manifest
     */
    public static PartitionManifest fromJson(byte[] json) {
        try {
            return EventCodec.mapper().readValue(json, PartitionManifest.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("Not a valid partition manifest: " + e.getMessage(), e);
        }
    }
}
