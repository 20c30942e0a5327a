package dev.mortgagelake.event;

import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.storage.Location;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A landed file was copied verbatim into Bronze and became run {@code runId}.
 *
 * @param runId         the run's id (time-sortable, unique)
 * @param dataset       {@code mortgages/transactions}
 * @param schemaVersion the contract version the file is validated against
 * @param runKind       {@code INGEST} for a first landing, {@code BACKFILL} for a reprocessing of Bronze
 * @param ingestDate    the UTC arrival date (Bronze and Quarantine partition)
 * @param source        the landing object the content came from
 * @param bronze        the verbatim Bronze copy
 * @param sha256        lowercase hex SHA-256 of the bytes
 * @param sizeBytes     size of the bytes
 * @param landedAt      when ingest-service accepted the file
 * @param supersedes    for backfills: the earlier runs of the same Bronze file; empty otherwise
 */
public record FileLanded(
        String runId,
        String dataset,
        String schemaVersion,
        String runKind,
        LocalDate ingestDate,
        Location source,
        Location bronze,
        String sha256,
        long sizeBytes,
        Instant landedAt,
        List<String> supersedes) {

    public static final String KIND_INGEST = "INGEST";
    public static final String KIND_BACKFILL = "BACKFILL";

    public FileLanded {
        supersedes = supersedes == null ? List.of() : List.copyOf(supersedes);
    }

    /**
     * The run id of a well-formed {@code file-landed}: present, with a valid run id, a Bronze location and
     * an ingest date. What a consumer supports (schema version, dataset) is the consumer's check.
     *
     * @throws InvalidEventException naming what is missing or malformed
     */
    public static RunId wellFormed(FileLanded landed) {
        if (landed == null) {
            throw new InvalidEventException("file-landed payload is missing");
        }
        RunId runId;
        try {
            runId = RunId.of(landed.runId());
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("file-landed has an invalid run_id: " + e.getMessage(), e);
        }
        if (landed.bronze() == null || landed.ingestDate() == null) {
            throw new InvalidEventException("file-landed of run " + runId + " lacks bronze or ingest_date");
        }
        return runId;
    }
}
