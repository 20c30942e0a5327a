package dev.mortgagelake.retry;

import java.time.Instant;
import java.util.Map;

/**
 * One step appended to a ledger batch after its opening record. Transition {@code sequence} n is
 * created once ({@link dev.mortgagelake.layout.LakeLayout#ledgerTransition}), so two writers that
 * both read the batch at step n-1 cannot both append: the loser re-reads and decides again.
 *
 * @param state            the batch's state after this step (a legal {@link LedgerState} step from the one before)
 * @param attempt          the rows' attempt count after this step (an approved reprocessing counts the
 *                         attempt it schedules only when that attempt's run is validated)
 * @param nextAttemptDueAt when the next attempt is due after this step, or null
 * @param nextRunId        the run the next attempt becomes, or null
 * @param attemptReason    why the next attempt is made ({@link dev.mortgagelake.event.RetryDue#reason()}), or null
 * @param actor            who decided: a user name, or {@code retry-service} for automatic steps
 * @param requestId        the operator request this step belongs to, or null
 * @param retryRunId       for {@code RETRIED}/{@code REPROCESSED}: the run that re-validated the rows
 * @param outcome          for {@code RETRIED}/{@code REPROCESSED}: rows by outcome (silver, quarantined, condemned)
 */
public record LedgerTransition(
        int sequence,
        Instant at,
        LedgerState state,
        int attempt,
        Instant nextAttemptDueAt,
        String nextRunId,
        String attemptReason,
        String actor,
        String requestId,
        String retryRunId,
        Map<String, Long> outcome,
        String note) {

    public LedgerTransition {
        outcome = outcome == null ? Map.of() : Map.copyOf(outcome);
    }

    /** The same step at another position (set by the ledger when it appends). */
    LedgerTransition at(int newSequence) {
        return new LedgerTransition(newSequence, at, state, attempt, nextAttemptDueAt, nextRunId, attemptReason, actor, requestId, retryRunId,
                outcome, note);
    }
}
