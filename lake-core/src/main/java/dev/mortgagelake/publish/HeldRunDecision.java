package dev.mortgagelake.publish;

import java.time.Instant;
import java.util.Objects;

/**
 * An operator's decision on a held run, written create-once at
 * {@code <table root>_held/decisions/run_id=<run>.json}: the first decision is final (an approval
 * and a rejection racing each other cannot both win), and it is kept for audit.
 *
 * @param runId     the held run
 * @param outcome   APPROVED (promote it) or REJECTED (never promote it)
 * @param decidedBy the authenticated operator
 * @param decidedAt when
 * @param reason    why, as the operator wrote it
 */
public record HeldRunDecision(String runId, Outcome outcome, String decidedBy, Instant decidedAt, String reason) {

    public HeldRunDecision {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(decidedBy, "decidedBy");
        Objects.requireNonNull(decidedAt, "decidedAt");
        Objects.requireNonNull(reason, "reason");
    }

    public enum Outcome {
        APPROVED,
        REJECTED
    }
}
