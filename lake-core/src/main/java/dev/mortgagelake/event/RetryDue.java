package dev.mortgagelake.event;

import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.storage.Location;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

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

    /** Every {@code reason} a retry-due may carry. */
    public static final Set<String> REASONS = Set.of(REASON_SCHEDULED, REASON_RETRY_NOW, REASON_EXTRA_ATTEMPT, REASON_REPROCESS);

    private static final String RETRY_SUFFIX = "_" + RunValidated.KIND_RETRY;

    /**
     * The retry run id of a well-formed {@code retry-due}: present; valid batch and retry run ids that
     * differ, the retry run named {@code <id>_RETRY}; attempt 2 or later; quarantine file, ingest date and
     * batch validation time present; a known batch kind and reason. Where the batch file must be and
     * whether its rows may be condemned are the consumer's checks.
     *
     * @throws InvalidEventException naming what is missing or malformed
     */
    public static RunId wellFormed(RetryDue due) {
        if (due == null) {
            throw new InvalidEventException("retry-due payload is missing");
        }
        RunId batchRunId;
        try {
            batchRunId = RunId.of(due.batchRunId());
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("retry-due has an invalid batch_run_id: " + e.getMessage(), e);
        }
        RunId retryRunId;
        try {
            retryRunId = RunId.of(due.retryRunId());
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("retry-due of batch " + batchRunId + " has an invalid retry_run_id: " + e.getMessage(), e);
        }
        String of = "retry-due of batch " + batchRunId + " (retry run " + retryRunId + ")";
        if (!retryRunId.value().endsWith(RETRY_SUFFIX)) {
            throw new InvalidEventException(of + ": retry_run_id must end with " + RETRY_SUFFIX + " (retry runs are named <id>"
                    + RETRY_SUFFIX + ")");
        }
        if (retryRunId.equals(batchRunId)) {
            throw new InvalidEventException(of + ": retry_run_id must differ from batch_run_id (a retry writes a new run)");
        }
        if (due.attempt() < 2) {
            throw new InvalidEventException(of + ": attempt is " + due.attempt()
                    + "; a retry is attempt 2 or later (attempt 1 is the validation of the Bronze file)");
        }
        if (due.quarantine() == null || due.ingestDate() == null || due.batchValidatedAt() == null) {
            throw new InvalidEventException(of + " lacks quarantine, ingest_date or batch_validated_at");
        }
        if (!BATCH_QUARANTINE.equals(due.batchKind()) && !BATCH_CONDEMNED.equals(due.batchKind())) {
            throw new InvalidEventException(of + " has batch_kind '" + due.batchKind() + "'; expected "
                    + BATCH_QUARANTINE + " or " + BATCH_CONDEMNED);
        }
        if (!REASONS.contains(due.reason())) {
            throw new InvalidEventException(of + " has reason '" + due.reason() + "'; expected one of " + REASONS);
        }
        return retryRunId;
    }
}
