package dev.mortgagelake.publish.table;

/**
 * It cannot be determined whether the commit happened: a write failed in a way that may still have
 * taken effect (timeout, lost response) and reading the version back did not settle it. Nothing was
 * deleted or rolled back. The caller must not clean up anything the commit may reference; it should
 * let the operation be retried later (changes are idempotent, so a retry either finds its change in
 * the table or commits it).
 */
public class CommitStateUnknownException extends RuntimeException {

    public CommitStateUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
