package dev.mortgagelake.storage;

/** The object does not exist. */
public class ObjectNotFoundException extends StorageException {

    public ObjectNotFoundException(Location location) {
        super("No object at " + location, false);
    }
}
