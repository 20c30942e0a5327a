package dev.mortgagelake.retry;

import dev.mortgagelake.refusal.RefusalException;

/** Another writer appended to a ledger batch since it was read: read it again and decide again. */
public class LedgerConflictException extends RefusalException {

    @Override
    public Kind refusalKind() {
        return Kind.CONFLICT;
    }

    @Override
    public String code() {
        return "CONFLICT";
    }

    @Override
    public String title() {
        return "The ledger changed meanwhile; read it again";
    }


    public LedgerConflictException(String message) {
        super(message);
    }
}
