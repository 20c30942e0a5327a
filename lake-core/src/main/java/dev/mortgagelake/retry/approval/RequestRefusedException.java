package dev.mortgagelake.retry.approval;

/**
 * A request or decision that cannot be made in the batch's or request's current state.
 *
 * @see #notFound() 404 when the batch or request does not exist, 409 otherwise
 */
public class RequestRefusedException extends RuntimeException {

    private final boolean notFound;

    public RequestRefusedException(String message, boolean notFound) {
        super(message);
        this.notFound = notFound;
    }

    public boolean notFound() {
        return notFound;
    }
}
