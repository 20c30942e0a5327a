package dev.mortgagelake.retry.approval;

import java.time.Instant;

/**
 * The one decision on an {@link OperatorRequest} (created once: a request is approved or rejected
 * exactly once, by someone other than its requester).
 *
 * @param decision   {@link #APPROVED}, {@link #REJECTED}, or {@link #WITHDRAWN} (by the system, when the
 *                   batch changed before the request could be registered on it)
 * @param retryRunId for an approval: the run the approved attempt becomes
 */
public record RequestDecision(
        String requestId,
        String decision,
        String decidedBy,
        String deciderRole,
        String reason,
        Instant decidedAt,
        String retryRunId) {

    public static final String APPROVED = "APPROVED";
    public static final String REJECTED = "REJECTED";
    public static final String WITHDRAWN = "WITHDRAWN";
}
