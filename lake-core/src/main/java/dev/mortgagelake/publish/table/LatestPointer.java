package dev.mortgagelake.publish.table;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Objects;

/**
 * The content of {@code <root>_LATEST.json}: which table version is current. It keeps the seed
 * design's fields ({@code run_id}, {@code schema_version}, {@code published_at},
 * {@code partition_path}) and adds the version it names:
 * <pre>
 * {"run_id":"20260121T120000000Z-3f9a1c2e","schema_version":"v1","published_at":"2026-01-21T12:00:01Z",
 *  "partition_path":"silver/mortgages/transactions/","table_version":7,
 *  "snapshot":"silver/mortgages/transactions/_table/schema_v=v1/_versions/v00000000000000000007.json",
 *  "table_root":"silver/mortgages/transactions/_table/schema_v=v1/",
 *  "iceberg_snapshot_id":4920375582342216731,
 *  "iceberg_metadata_location":"s3://lake-silver/silver/mortgages/transactions/_table/schema_v=v1/_iceberg/metadata/00007-....metadata.json"}
 * </pre>
 * Readers resolve the snapshot document through {@code snapshot} (same bucket as the pointer); the
 * version log stays the source of truth.
 *
 * @param runId         the run that produced the version (the last run it names); null if it names none
 * @param schemaVersion the table's schema version, e.g. {@code v1}
 * @param publishedAt   when this pointer was written
 * @param partitionPath the prefix under which the table's data files live
 * @param tableVersion  the version the pointer names
 * @param snapshot      the key of that version's document
 * @param tableRoot     the table's root prefix
 * @param icebergSnapshotId       OPTIONAL (absent when no Iceberg table follows this table): the
 *                                Iceberg snapshot that holds {@code tableVersion}
 * @param icebergMetadataLocation OPTIONAL, with {@code icebergSnapshotId}: the Iceberg metadata
 *                                document current when that snapshot was committed
 */
public record LatestPointer(
        String runId,
        String schemaVersion,
        Instant publishedAt,
        String partitionPath,
        long tableVersion,
        String snapshot,
        String tableRoot,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long icebergSnapshotId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String icebergMetadataLocation) {

    public LatestPointer {
        Objects.requireNonNull(schemaVersion, "schemaVersion");
        Objects.requireNonNull(publishedAt, "publishedAt");
        Objects.requireNonNull(partitionPath, "partitionPath");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(tableRoot, "tableRoot");
        if (tableVersion < 1) {
            throw new IllegalArgumentException("A pointer names a committed version (>= 1), not " + tableVersion);
        }
        if ((icebergSnapshotId == null) != (icebergMetadataLocation == null)) {
            throw new IllegalArgumentException("An Iceberg snapshot id and its metadata location go together");
        }
    }

    /** A pointer of a table that no Iceberg table follows. */
    public LatestPointer(String runId, String schemaVersion, Instant publishedAt, String partitionPath, long tableVersion,
                         String snapshot, String tableRoot) {
        this(runId, schemaVersion, publishedAt, partitionPath, tableVersion, snapshot, tableRoot, null, null);
    }

    /** This pointer naming the Iceberg snapshot that holds its version. */
    public LatestPointer with(CatalogSnapshot iceberg) {
        if (iceberg.tableVersion() != tableVersion) {
            throw new IllegalArgumentException("Iceberg snapshot of version " + iceberg.tableVersion() + " for a pointer to version "
                    + tableVersion);
        }
        return new LatestPointer(runId, schemaVersion, publishedAt, partitionPath, tableVersion, snapshot, tableRoot,
                iceberg.snapshotId(), iceberg.metadataLocation());
    }
}
