package dev.mortgagelake.storage;

import java.time.Instant;

/** Metadata of an object as the store reports it. */
public record StoredObject(Location location, long size, String etag, Instant lastModified) {
}
