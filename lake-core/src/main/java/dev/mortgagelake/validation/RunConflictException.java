package dev.mortgagelake.validation;

import dev.mortgagelake.storage.StorageException;

/**
 * A run's committed output differs from what validating it again produces (for example, a
 * partition's {@code _SUCCESS} exists but its files have other content). Validation never overwrites
 * committed output; an operator must look. Permanent: retrying cannot help.
 */
public class RunConflictException extends StorageException {

    public RunConflictException(String message) {
        super(message, false);
    }
}
