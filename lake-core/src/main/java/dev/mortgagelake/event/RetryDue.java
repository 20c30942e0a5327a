package dev.mortgagelake.event;

import dev.mortgagelake.storage.Location;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A quarantine batch is due for its next attempt: validation-service re-validates its rows with the
 * current rules and reference data.
 *
 * @param batchRunId the run that quarantined the rows (the batch's identity)
 * @param attempt    the attempt about to be made (the first retry is attempt 2)
 * @param reason     {@code SCHEDULED}, {@code OVERRIDE} (approved extra attempt) or {@code REPROCESS}
 *                   (approved reprocessing of condemned rows)
 */
public record RetryDue(
        String batchRunId,
        String dataset,
        LocalDate ingestDate,
        Location quarantine,
        int attempt,
        Instant dueAt,
        String reason) {
}
