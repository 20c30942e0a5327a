package dev.mortgagelake.storage;

import java.util.Objects;

/** A bucket and key: where an object is, in any layer of the lake. */
public record Location(String bucket, String key) {

    public Location {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        if (bucket.isBlank()) {
            throw new IllegalArgumentException("bucket must not be blank");
        }
        if (key.isBlank() || key.startsWith("/")) {
            throw new IllegalArgumentException("key must be non-blank and relative: '" + key + "'");
        }
    }

    /** The last path segment of the key (the file name). */
    public String fileName() {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? key : key.substring(slash + 1);
    }

    /** A sibling key in the same "directory". */
    public Location sibling(String name) {
        int slash = key.lastIndexOf('/');
        return new Location(bucket, slash < 0 ? name : key.substring(0, slash + 1) + name);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
