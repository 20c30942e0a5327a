package dev.mortgagelake.storage;

/** A conditional replace lost: the object's ETag is not the expected one (HTTP 412 on {@code If-Match}). */
public class PreconditionFailedException extends StorageException {

    public PreconditionFailedException(Location location, String expectedEtag) {
        this(location, expectedEtag, null);
    }

    /** With the store's own failure (e.g. the SDK's 412) as the cause. */
    public PreconditionFailedException(Location location, String expectedEtag, Throwable cause) {
        super("Cannot replace " + location + ": its ETag is no longer " + expectedEtag, false, cause);
    }
}
