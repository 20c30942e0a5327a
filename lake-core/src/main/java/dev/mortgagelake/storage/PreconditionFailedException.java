package dev.mortgagelake.storage;

/** A conditional replace lost: the object's ETag is not the expected one (HTTP 412 on {@code If-Match}). */
public class PreconditionFailedException extends StorageException {

    public PreconditionFailedException(Location location, String expectedEtag) {
        super("Cannot replace " + location + ": its ETag is no longer " + expectedEtag, false);
    }
}
