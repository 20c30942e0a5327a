package dev.mortgagelake.retry.approval;

import dev.mortgagelake.refusal.RefusalException;

/** The same identity tried to both request and decide: refused, nothing changed (HTTP 403). */
public class FourEyesViolationException extends RefusalException {

    @Override
    public Kind refusalKind() {
        return Kind.FORBIDDEN;
    }

    @Override
    public String code() {
        return "FOUR_EYES";
    }

    @Override
    public String title() {
        return "A request is decided by someone other than its requester";
    }


    public FourEyesViolationException(String message) {
        super(message);
    }
}
