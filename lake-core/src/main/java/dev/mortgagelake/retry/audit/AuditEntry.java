package dev.mortgagelake.retry.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of the quarantine audit trail: who (a user, or {@code retry-service} for automatic
 * decisions), in which role, when, did what to which subject, and why.
 *
 * @param action   see the constants ({@code REQUESTED}, {@code APPROVED}, {@code CONDEMNED}, ...)
 * @param subject  the batch's run id, or the request id for request decisions
 * @param batchRunId the ledger batch concerned
 * @param details  facts of the decision (counts, attempt, run ids, request kind)
 */
public record AuditEntry(
        String id,
        Instant at,
        String actor,
        String role,
        String action,
        String subject,
        String batchRunId,
        String reason,
        Map<String, String> details) {

    /** The actor of automatic decisions. */
    public static final String SYSTEM_ACTOR = "retry-service";
    public static final String SYSTEM_ROLE = "system";

    public static final String QUARANTINED = "QUARANTINED";
    public static final String FILE_REJECTED = "FILE_REJECTED";
    public static final String CONDEMNED = "CONDEMNED";
    public static final String RETRIED = "RETRIED";
    public static final String REPROCESSED = "REPROCESSED";
    public static final String REQUESTED = "REQUESTED";
    public static final String APPROVED = "APPROVED";
    public static final String REJECTED = "REJECTED";
    /** Someone tried to decide on their own request (four-eyes rule); nothing changed. */
    public static final String DECISION_REFUSED = "DECISION_REFUSED";

    public AuditEntry {
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
