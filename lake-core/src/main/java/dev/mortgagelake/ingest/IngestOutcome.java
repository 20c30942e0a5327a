package dev.mortgagelake.ingest;

/**
 * What ingesting one landed object did.
 *
 * @param kind  {@code INGESTED} (a new run), {@code REDELIVERED} (this landing was already handled or
 *              was completed now), {@code DUPLICATE_CONTENT} (the bytes belong to an earlier run; recorded)
 *              or {@code MISSING} (the landing object no longer exists)
 * @param runId the run the content belongs to (null when MISSING)
 */
public record IngestOutcome(Kind kind, String runId, String sha256) {

    public enum Kind { INGESTED, REDELIVERED, DUPLICATE_CONTENT, MISSING }
}
