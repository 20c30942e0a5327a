package dev.mortgagelake.ingest.notification;

import dev.mortgagelake.storage.Location;

import java.time.Instant;

/** An object that appeared in the landing zone, as an S3 ObjectCreated record (or the sweep) reports it. */
public record LandedObject(Location location, long size, String etag, Instant eventTime) {
}
