package dev.mortgagelake.event;

import dev.mortgagelake.storage.Location;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A batch of quarantined (or condemned) rows is due for its next validation attempt: validation-service
 * re-validates its rows with the current rules and reference data into the run {@code retryRunId}.
 * retry-service emits it, possibly several times for the same attempt (an SQS delay, then the durable
 * sweep when the message was lost or is not back yet); every emission of one attempt carries the same
 * {@code retryRunId}, so validating it twice returns the stored result.
 *
 * @param batchRunId        the run whose rows are retried (the batch's identity)
 * @param quarantine        the batch's rows: {@code invalid_rows.parquet} or {@code condemned_rows.parquet}
 * @param attempt           the attempt about to be made (the first retry is attempt 2)
 * @param dueAt             when the attempt became (or becomes) due
 * @param reason            {@code SCHEDULED} (backoff), {@code RETRY_NOW} (approved immediate retry),
 *                          {@code EXTRA_ATTEMPT} (approved attempt beyond the maximum) or {@code REPROCESS}
 *                          (approved reprocessing of condemned rows)
 * @param retryRunId        the run this attempt becomes (kind suffix {@code _RETRY}); fixed by retry-service
 *                          when it schedules the attempt
 * @param batchKind         {@code QUARANTINE} or {@code CONDEMNED}: which file of {@code batchRunId} is retried
 * @param batchValidatedAt  when the batch's rows were last validated (attempt {@code attempt - 1}), for
 *                          {@code retry_history}
 * @param condemnOnFailure  retry-service's decision ({@link dev.mortgagelake.retry.CondemnationPolicy}): rows
 *                          still invalid after this attempt are condemned ({@code MAX_ATTEMPTS}) instead of
 *                          quarantined again
 * @param requestId         the approved operator request behind a non-scheduled attempt, or null
 */
public record RetryDue(
        String batchRunId,
        String dataset,
        LocalDate ingestDate,
        Location quarantine,
        int attempt,
        Instant dueAt,
        String reason,
        String retryRunId,
        String batchKind,
        Instant batchValidatedAt,
        boolean condemnOnFailure,
        String requestId) {

    public static final String REASON_SCHEDULED = "SCHEDULED";
    public static final String REASON_RETRY_NOW = "RETRY_NOW";
    public static final String REASON_EXTRA_ATTEMPT = "EXTRA_ATTEMPT";
    public static final String REASON_REPROCESS = "REPROCESS";

    public static final String BATCH_QUARANTINE = "QUARANTINE";
    public static final String BATCH_CONDEMNED = "CONDEMNED";
}
