package dev.mortgagelake.storage;

/** A create-once write lost: the key already exists (HTTP 412 on {@code If-None-Match: *}). */
public class ObjectAlreadyExistsException extends StorageException {

    private final Location location;

    public ObjectAlreadyExistsException(Location location) {
        super("Cannot create " + location + ": it already exists", false);
        this.location = location;
    }

    public Location location() {
        return location;
    }
}
