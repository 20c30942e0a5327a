package dev.mortgagelake.event;

import dev.mortgagelake.storage.Location;

import java.time.Instant;
import java.util.List;

/**
 * A run's Silver partitions became part of the authoritative table version {@code tableVersion},
 * and {@code latest} names it.
 *
 * @param table        the table root, e.g. {@code silver/mortgages/transactions/_table/schema_v=v1/}
 * @param tableVersion the committed version number (1, 2, ...)
 * @param partitions   the business months ({@code YYYY-MM}) the run added to
 * @param rows         Silver rows the run added
 * @param latest       the {@code _LATEST.json} pointer that names this version
 */
public record RunPromoted(
        String runId,
        String dataset,
        String schemaVersion,
        String table,
        long tableVersion,
        List<String> partitions,
        long rows,
        Location latest,
        Instant promotedAt) {

    public RunPromoted {
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
    }
}
