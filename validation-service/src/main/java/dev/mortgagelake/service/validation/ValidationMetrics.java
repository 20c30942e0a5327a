package dev.mortgagelake.service.validation;

/** The names and tags of validation-service's metrics (catalogue: docs/OPERATIONS.md). */
final class ValidationMetrics {

    /** Counter: rows written, by {@code layer} (silver, quarantine, condemned) and {@code outcome}. */
    static final String ROWS = "lake.rows";
    /** Counter: runs validated, by {@code outcome} (validated, file_rejected). */
    static final String RUNS_VALIDATED = "lake.runs.validated";
    /** Counter: quarantined rows by error {@code code} (a row with two errors counts under both). */
    static final String QUARANTINE_ROWS_BY_ERROR = "lake.quarantine.rows.by.error";
    /** Counter: files rejected as a whole, by {@code code}. */
    static final String FILES_REJECTED = "lake.files.rejected";
    /** Timer (histogram): validation of one run, by {@code outcome}. */
    static final String VALIDATION_DURATION = "lake.validation.duration";
    /** Distribution summary (histogram): percent of each run's rows (runs with rows) that went to quarantine, by {@code dataset}. */
    static final String RUN_QUARANTINE_PERCENT = "lake.run.quarantine.percent";
    /** Counter: columns of schema drift seen, by {@code dataset} and {@code kind} (unknown, missing). */
    static final String SCHEMA_DRIFT_COLUMNS = "lake.schema.drift.columns";
    /**
     * Rows carrying an enum value the reference data does not know, by {@code dataset} and {@code column}:
     * {@code Currency} (a well-formed code off the allow-list), {@code TransactionType} (contract v1.1: a
     * value outside the transaction-type enumeration, {@code TRANSACTION_TYPE_UNKNOWN_VALUE}).
     */
    static final String DRIFT_UNSEEN_ENUM_VALUES = "lake.drift.unseen.enum.values";
    /** Condemned rows by the condemnation policy's reason. */
    static final String CONDEMNED_ROWS_BY_REASON = "lake.condemned.rows.by.reason";

    /** Counter: rows of retry runs by {@code outcome} (silver, quarantined, condemned). */
    static final String RETRY_ROWS = "lake.validation.retry.rows";
    /** Counter: retry runs validated, by {@code reason} (SCHEDULED, RETRY_NOW, EXTRA_ATTEMPT, REPROCESS). */
    static final String RETRY_RUNS = "lake.validation.retry.runs";
    /** Timer (histogram): re-validation of one batch as a retry run, by {@code outcome}. */
    static final String RETRY_DURATION = "lake.validation.retry.duration";

    static final String TAG_LAYER = "layer";
    static final String TAG_REASON = "reason";
    static final String TAG_CODE = "code";
    static final String TAG_KIND = "kind";

    private ValidationMetrics() {
    }
}
