package dev.mortgagelake.local;

import dev.mortgagelake.storage.Location;

/** A file put into the landing zone: where, its ETag, and the sha256 of its bytes. */
public record LandedFile(Location location, String etag, String sha256, long sizeBytes) {
}
