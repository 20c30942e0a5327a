package dev.mortgagelake.ingest;

import dev.mortgagelake.storage.Location;

import java.time.Instant;

/** A landing whose bytes were already ingested as {@code originalRunId}: kept as a record, never a new run. */
public record DuplicateLanding(String sha256, Location source, String sourceEtag, String originalRunId,
                               Location originalSource, Instant seenAt) {
}
