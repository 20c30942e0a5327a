package dev.mortgagelake.storage;

/** A create-once write lost: the key already exists (HTTP 412 on {@code If-None-Match: *}). */
public class ObjectAlreadyExistsException extends StorageException {

    private final Location location;

    public ObjectAlreadyExistsException(Location location) {
        this(location, null);
    }

    /** With the store's own failure (e.g. the SDK's 412) as the cause. */
    public ObjectAlreadyExistsException(Location location, Throwable cause) {
        super("Cannot create " + location + ": it already exists", false, cause);
        this.location = location;
    }

    public Location location() {
        return location;
    }
}
