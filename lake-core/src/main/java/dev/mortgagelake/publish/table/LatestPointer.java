package dev.mortgagelake.publish.table;

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
 *  "table_root":"silver/mortgages/transactions/_table/schema_v=v1/"}
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
 */
public record LatestPointer(
        String runId,
        String schemaVersion,
        Instant publishedAt,
        String partitionPath,
        long tableVersion,
        String snapshot,
        String tableRoot) {

    public LatestPointer {
        Objects.requireNonNull(schemaVersion, "schemaVersion");
        Objects.requireNonNull(publishedAt, "publishedAt");
        Objects.requireNonNull(partitionPath, "partitionPath");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(tableRoot, "tableRoot");
        if (tableVersion < 1) {
            throw new IllegalArgumentException("A pointer names a committed version (>= 1), not " + tableVersion);
        }
    }
}
