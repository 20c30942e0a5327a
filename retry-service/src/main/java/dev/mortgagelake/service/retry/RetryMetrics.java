package dev.mortgagelake.service.retry;

/** The names and tags of retry-service's metrics (catalogue: docs/OPERATIONS.md). */
public final class RetryMetrics {

    /** Counter: quarantine batches taken into the ledger, by {@code kind} (rows, file, condemned_rows). */
    public static final String QUARANTINE_BATCHES = "lake.quarantine.batches";
    /** Gauge: ledger batches by {@code state} (pending_retry, condemned, retried, ...). */
    public static final String LEDGER_ENTRIES = "lake.retry.ledger.entries";
    /**
     * Gauge (seconds): the age of the oldest due retry, i.e. how long the most overdue outstanding
     * attempt has been due without being made (0 when none is overdue).
     */
    public static final String LEDGER_OVERDUE_AGE = "lake.retry.ledger.overdue.age";
    /** Counter: ledger reads for these gauges that failed. */
    public static final String LEDGER_READ_FAILURES = "lake.retry.ledger.read.failures";
    /** Counter: attempts scheduled, by {@code reason} (SCHEDULED, RETRY_NOW, EXTRA_ATTEMPT, REPROCESS). */
    public static final String RETRIES_SCHEDULED = "lake.retry.scheduled";
    /** Counter: {@code retry-due} events sent, by {@code trigger} (schedule, sweep, sweep_redispatch, approval). */
    public static final String RETRIES_DISPATCHED = "lake.retry.dispatched";
    /** Counter: rows re-validated by retry runs, by {@code outcome} (succeeded, failed_again). */
    public static final String RETRY_ROWS = "lake.retry.rows";
    /** Counter: rows recorded as condemned in the ledger, by {@code reason} (DUPLICATE_EXACT, MAX_ATTEMPTS). */
    public static final String CONDEMNED_ROWS = "lake.retry.condemned.rows";
    /** Gauge: operator requests waiting for an approver. */
    public static final String PENDING_APPROVALS = "lake.retry.approvals.pending";
    /** Counter: operator decisions, by {@code decision} (requested, approved, rejected, refused). */
    public static final String DECISIONS = "lake.retry.decisions";

    public static final String TAG_KIND = "kind";
    public static final String TAG_STATE = "state";
    public static final String TAG_REASON = "reason";
    public static final String TAG_TRIGGER = "trigger";
    public static final String TAG_OUTCOME = "outcome";
    public static final String TAG_DECISION = "decision";

    private RetryMetrics() {
    }
}
