package dev.mortgagelake.retry.approval;

/** The same identity tried to both request and decide: refused, nothing changed (HTTP 403). */
public class FourEyesViolationException extends RuntimeException {

    public FourEyesViolationException(String message) {
        super(message);
    }
}
