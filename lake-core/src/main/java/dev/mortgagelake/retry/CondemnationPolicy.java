package dev.mortgagelake.retry;

import java.util.Optional;

/**
 * The one policy of what the lake condemns and why. Condemned rows are kept forever in
 * {@code quarantine/.../condemned/...} with their original values and the reason, are never retried,
 * and are reprocessed only after a quality recommendation and an approval by a different person.
 *
 * <ul>
 *   <li>{@link Reason#DUPLICATE_EXACT}: a valid row whose five business values equal a row already
 *       published in Silver, or a row earlier in the same file. The earlier row stays.</li>
 *   <li>A valid row whose {@code TransactionID} is taken by a row with <em>other</em> content is not
 *       condemned: it is quarantined ({@code DUPLICATE_ID_CONFLICT}) for a human to resolve.</li>
 *   <li>{@link Reason#MAX_ATTEMPTS}: a quarantined row still invalid after {@link #MAX_ATTEMPTS}
 *       validation attempts.</li>
 * </ul>
 *
 * validation-service writes every condemned row: duplicates it finds (asking {@link #forDuplicate}),
 * and rows still invalid at an attempt retry-service marked {@code condemn_on_failure} (retry-service
 * decides that with {@link #afterAttempts}). retry-service's ledger records every condemned batch
 * ({@link QuarantineLedger}), so every row read is accounted for in Silver, Quarantine or Condemned.
 */
public final class CondemnationPolicy {

    /** Attempts after which a still-invalid row is condemned. */
    public static final int MAX_ATTEMPTS = 3;

    /** Why a row is condemned. Stable codes: they are in {@code condemned_rows.parquet} and the ledger. */
    public enum Reason {
        /** All business fields equal to a row already published or earlier in the file. */
        DUPLICATE_EXACT,
        /** Still invalid after {@link #MAX_ATTEMPTS} attempts. */
        MAX_ATTEMPTS
    }

    /** A decision to condemn: the reason and a readable message. */
    public record Condemnation(Reason reason, String message) {
        /** {@code REASON: message}, as written in the row's {@code validation_error}. */
        public String describe() {
            return reason + ": " + message;
        }
    }

    private CondemnationPolicy() {
    }

    /**
     * The decision for a valid row whose {@code TransactionID} is already held by an earlier row.
     *
     * @param sameContent whether all business values are equal to the earlier row's
     * @param earlier     where the earlier row is, for the message
     * @return the condemnation, or empty when the row is to be quarantined as an id conflict instead
     */
    public static Optional<Condemnation> forDuplicate(boolean sameContent, String earlier) {
        if (!sameContent) {
            return Optional.empty();
        }
        return Optional.of(new Condemnation(Reason.DUPLICATE_EXACT, "exact duplicate of " + earlier + " (all business fields equal)"));
    }

    /** The decision for a quarantined row after {@code attemptCount} attempts; empty while it may be retried. */
    public static Optional<Condemnation> afterAttempts(int attemptCount) {
        if (attemptCount < MAX_ATTEMPTS) {
            return Optional.empty();
        }
        return Optional.of(new Condemnation(Reason.MAX_ATTEMPTS, "still invalid after " + attemptCount + " attempts"));
    }
}
