package dev.mortgagelake.service.retry;

/** The names and tags of retry-service's metrics (catalogue: docs/OPERATIONS.md). */
final class RetryMetrics {

    /** Counter: quarantine batches taken into the ledger, by {@code kind} (rows, file). */
    static final String QUARANTINE_BATCHES = "lake.quarantine.batches";
    /** Gauge: ledger entries by {@code state} (pending_retry, awaiting_review, ...). */
    static final String LEDGER_ENTRIES = "lake.retry.ledger.entries";
    /**
     * Gauge (seconds): how long the most overdue {@code PENDING_RETRY} entry has been due without
     * its attempt being made (0 when none is overdue).
     */
    static final String LEDGER_OVERDUE_AGE = "lake.retry.ledger.overdue.age";
    /** Counter: ledger reads for these gauges that failed. */
    static final String LEDGER_READ_FAILURES = "lake.retry.ledger.read.failures";

    static final String TAG_KIND = "kind";
    static final String TAG_STATE = "state";

    private RetryMetrics() {
    }
}
