package dev.mortgagelake.service.ingest;

/** The names and tags of ingest-service's metrics (catalogue: docs/OPERATIONS.md). */
final class IngestMetrics {

    /** Counter: landed objects handled, by {@code outcome} (the ingest outcome kind) and {@code path} (notification, sweep). */
    static final String LANDINGS = "lake.landings";
    /** Timer (histogram): ingesting one landed object (Bronze copy, claims, file-landed sent), by {@code outcome}. */
    static final String INGEST_DURATION = "lake.ingest.duration";
    /** Counter: landing sweeps that failed (the next sweep retries). */
    static final String SWEEP_FAILURES = "lake.landing.sweep.failures";

    static final String TAG_PATH = "path";
    static final String PATH_NOTIFICATION = "notification";
    static final String PATH_SWEEP = "sweep";

    private IngestMetrics() {
    }
}
