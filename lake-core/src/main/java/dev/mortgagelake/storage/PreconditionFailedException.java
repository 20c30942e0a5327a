package dev.mortgagelake.storage;

/**
 * A conditional operation lost: the object's ETag is not the expected one (HTTP 412 on
 * {@code If-Match} of a replace or read, or on {@code x-amz-copy-source-if-match} of a copy).
 */
public class PreconditionFailedException extends StorageException {

    public PreconditionFailedException(Location location, String expectedEtag) {
        this(location, expectedEtag, null);
    }

    /** With the store's own failure (e.g. the SDK's 412) as the cause. */
    public PreconditionFailedException(Location location, String expectedEtag, Throwable cause) {
        super("The ETag of " + location + " is no longer " + expectedEtag, false, cause);
    }
}
