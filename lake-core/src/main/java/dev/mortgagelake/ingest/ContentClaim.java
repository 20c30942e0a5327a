package dev.mortgagelake.ingest;

import dev.mortgagelake.storage.Location;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The create-once record that a file's content (by sha256) belongs to one run. Whoever creates it
 * owns the content; any later landing of the same bytes is a duplicate landing of that run.
 */
public record ContentClaim(
        String runId,
        String sha256,
        long sizeBytes,
        LocalDate ingestDate,
        Location source,
        String sourceEtag,
        Location bronze,
        Instant claimedAt) {
}
