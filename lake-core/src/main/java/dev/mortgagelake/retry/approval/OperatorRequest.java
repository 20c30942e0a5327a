package dev.mortgagelake.retry.approval;

import java.time.Instant;

/**
 * A quality analyst's request on a ledger batch, waiting for a quality approver (another person).
 *
 * @param kind        {@link #RETRY_NOW} (a pending batch, now instead of at its due time),
 *                    {@link #EXTRA_ATTEMPT} (rows condemned for {@code MAX_ATTEMPTS}: one more attempt) or
 *                    {@link #REPROCESS} (condemned rows: re-validate them, the recommendation is {@code reason})
 * @param batchKind   {@code QUARANTINE} or {@code CONDEMNED}
 * @param reason      why (the quality recommendation for reprocessing); never blank
 */
public record OperatorRequest(
        String requestId,
        String kind,
        String batchKind,
        String batchRunId,
        String requestedBy,
        String requesterRole,
        String reason,
        Instant requestedAt) {

    public static final String RETRY_NOW = "RETRY_NOW";
    public static final String EXTRA_ATTEMPT = "EXTRA_ATTEMPT";
    public static final String REPROCESS = "REPROCESS";
}
