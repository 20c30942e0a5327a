package dev.mortgagelake.retry;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The state of a ledger batch, and the one table of the steps a batch may take. Serialized by its
 * name (the same strings the ledger documents on S3 always had), so existing ledger files read as
 * they are.
 *
 * <p>Three lifecycles share the enum; their states are disjoint, so the state alone tells the lifecycle:
 * <pre>
 * kind            opens as         from                     legal next state(s)             made by
 * ROWS            PENDING_RETRY    PENDING_RETRY            PENDING_RETRY                   approved RETRY_NOW (due now)
 *                                                           RETRIED                         the retry run is validated
 * FILE            AWAITING_REVIEW  AWAITING_REVIEW          (none: a corrected file or a backfill is a new run)
 * CONDEMNED_ROWS  CONDEMNED        CONDEMNED                REPROCESSING_REQUESTED          EXTRA_ATTEMPT / REPROCESS requested
 *                                  REPROCESSING_REQUESTED   REPROCESSING_APPROVED           approved by another person
 *                                                           CONDEMNED                       rejected
 *                                  REPROCESSING_APPROVED    REPROCESSED                     the approved run is validated
 * terminal: RETRIED, REPROCESSED (the rows have left the batch; nothing follows)
 * </pre>
 * {@link QuarantineLedger#append} refuses every other step through {@link #requireTransitionTo}.
 */
public enum LedgerState {

    /** Rows wait for their next attempt ({@code nextAttemptDueAt}). */
    PENDING_RETRY,
    /** Terminal: the rows were re-validated by a retry run (into Silver, a new batch, or condemned). */
    RETRIED,
    /** A whole file was rejected; it needs a human decision (e.g. a corrected file or a backfill). */
    AWAITING_REVIEW,
    /** Rows condemned by {@link CondemnationPolicy}: kept forever, never retried without an approval. */
    CONDEMNED,
    /** A quality analyst recommended reprocessing (or an extra attempt); it waits for an approver. */
    REPROCESSING_REQUESTED,
    /** An approver (another person) approved; the rows are being re-validated by {@code nextRunId}. */
    REPROCESSING_APPROVED,
    /** Terminal: the condemned rows were re-validated by a retry run. */
    REPROCESSED;

    private static final Map<LedgerState, Set<LedgerState>> NEXT = table();

    private static Map<LedgerState, Set<LedgerState>> table() {
        Map<LedgerState, Set<LedgerState>> next = new EnumMap<>(LedgerState.class);
        for (LedgerState state : values()) {
            next.put(state, EnumSet.noneOf(LedgerState.class));
        }
        next.get(PENDING_RETRY).addAll(EnumSet.of(PENDING_RETRY, RETRIED));
        next.get(CONDEMNED).add(REPROCESSING_REQUESTED);
        next.get(REPROCESSING_REQUESTED).addAll(EnumSet.of(REPROCESSING_APPROVED, CONDEMNED));
        next.get(REPROCESSING_APPROVED).add(REPROCESSED);
        next.replaceAll((state, targets) -> Collections.unmodifiableSet(targets));
        return Collections.unmodifiableMap(next);
    }

    /** The state a batch of {@code kind} ({@link LedgerEntry#KIND_ROWS}, {@code FILE}, {@code CONDEMNED_ROWS}) opens in. */
    public static LedgerState openingFor(String kind) {
        return switch (kind) {
            case LedgerEntry.KIND_ROWS -> PENDING_RETRY;
            case LedgerEntry.KIND_FILE -> AWAITING_REVIEW;
            case LedgerEntry.KIND_CONDEMNED_ROWS -> CONDEMNED;
            default -> throw new IllegalArgumentException("Unknown ledger batch kind '" + kind + "' (ROWS, FILE or CONDEMNED_ROWS)");
        };
    }

    /** The states a batch in this state may move to (empty for a terminal state and for {@link #AWAITING_REVIEW}). */
    public Set<LedgerState> next() {
        return NEXT.get(this);
    }

    /** Whether a batch in this state may move to {@code next}. */
    public boolean canTransitionTo(LedgerState next) {
        return NEXT.get(this).contains(next);
    }

    /**
     * The one check of every step appended to a batch.
     *
     * @throws IllegalLedgerTransitionException naming the batch, this state and {@code next}, when the table forbids it
     */
    public void requireTransitionTo(LedgerState next, String batchRunId) {
        if (!canTransitionTo(next)) {
            throw new IllegalLedgerTransitionException(batchRunId, this, next);
        }
    }

    /** Whether the batch's rows have left it (retried or reprocessed): nothing can happen to it any more. */
    public boolean terminal() {
        return this == RETRIED || this == REPROCESSED;
    }

    /** Whether an attempt is scheduled or approved and not yet made in this state. */
    public boolean attemptOutstanding() {
        return this == PENDING_RETRY || this == REPROCESSING_APPROVED;
    }
}
