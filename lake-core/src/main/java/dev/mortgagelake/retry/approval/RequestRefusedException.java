package dev.mortgagelake.retry.approval;

import dev.mortgagelake.refusal.RefusalException;

/**
 * A request or decision that cannot be made in the batch's or request's current state.
 *
 * @see #notFound() 404 when the batch or request does not exist, 409 otherwise
 */
public class RequestRefusedException extends RefusalException {

    private final boolean notFound;

    public RequestRefusedException(String message, boolean notFound) {
        super(message);
        this.notFound = notFound;
    }

    public boolean notFound() {
        return notFound;
    }

    @Override
    public Kind refusalKind() {
        return notFound ? Kind.NOT_FOUND : Kind.CONFLICT;
    }

    @Override
    public String code() {
        return refusalKind().name();
    }

    @Override
    public String title() {
        return notFound ? "No such resource" : "The request conflicts with the current state";
    }
}
