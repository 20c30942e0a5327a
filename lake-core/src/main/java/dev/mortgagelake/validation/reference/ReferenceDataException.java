package dev.mortgagelake.validation.reference;

import dev.mortgagelake.storage.StorageException;

/**
 * Reference data the lake needs is missing or invalid, and no earlier good copy is known: nothing is
 * validated until it is fixed. Retryable: a fix by the quality team makes the next attempt succeed.
 */
public final class ReferenceDataException extends StorageException {

    public ReferenceDataException(String message, Throwable cause) {
        super(message, true, cause);
    }
}
