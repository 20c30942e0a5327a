package dev.mortgagelake.retry.approval;

/** A request and its decision (null while it waits for an approver). */
public record RequestView(OperatorRequest request, RequestDecision decision) {

    public static final String PENDING = "PENDING";

    /** {@code PENDING}, or the decision. */
    public String state() {
        return decision == null ? PENDING : decision.decision();
    }
}
