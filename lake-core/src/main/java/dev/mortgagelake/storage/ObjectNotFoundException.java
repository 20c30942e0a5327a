package dev.mortgagelake.storage;

/** The object does not exist. */
public class ObjectNotFoundException extends StorageException {

    public ObjectNotFoundException(Location location) {
        this(location, null);
    }

    /** With the store's own failure (e.g. the SDK's NoSuchKey) as the cause. */
    public ObjectNotFoundException(Location location, Throwable cause) {
        super("No object at " + location, false, cause);
    }
}
