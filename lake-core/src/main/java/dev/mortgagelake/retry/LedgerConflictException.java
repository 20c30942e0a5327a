package dev.mortgagelake.retry;

/** Another writer appended to a ledger batch since it was read: read it again and decide again. */
public class LedgerConflictException extends RuntimeException {

    public LedgerConflictException(String message) {
        super(message);
    }
}
