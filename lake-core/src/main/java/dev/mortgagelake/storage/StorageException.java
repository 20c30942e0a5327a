package dev.mortgagelake.storage;

/**
 * A failed storage operation. {@link #retryable()} is the single predicate that decides whether a
 * caller may try again (throttling, timeouts, 5xx) or must treat the failure as permanent.
 */
public class StorageException extends RuntimeException {

    private final boolean retryable;

    public StorageException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public StorageException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    public boolean retryable() {
        return retryable;
    }
}
