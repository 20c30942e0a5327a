package dev.mortgagelake.retry;

import dev.mortgagelake.refusal.RefusalException;

/**
 * A step the {@link LedgerState} table forbids: the batch stays as it was. Raised only by
 * {@link LedgerState#requireTransitionTo}; a 409 in the operator APIs.
 */
public class IllegalLedgerTransitionException extends RefusalException {

    private final String batchRunId;
    private final LedgerState from;
    private final LedgerState to;

    public IllegalLedgerTransitionException(String batchRunId, LedgerState from, LedgerState to) {
        super("Batch " + batchRunId + " is " + from + " and cannot become " + to + " ("
                + (from.next().isEmpty() ? "nothing follows " + from : "from " + from + " only " + from.next()) + ")");
        this.batchRunId = batchRunId;
        this.from = from;
        this.to = to;
    }

    public String batchRunId() {
        return batchRunId;
    }

    public LedgerState from() {
        return from;
    }

    public LedgerState to() {
        return to;
    }

    @Override
    public Kind refusalKind() {
        return Kind.CONFLICT;
    }

    @Override
    public String code() {
        return "ILLEGAL_TRANSITION";
    }

    @Override
    public String title() {
        return "The ledger batch cannot take that step from its current state";
    }
}
