package dev.mortgagelake.publish.check;

/** Why a run cannot be promoted. Stable names: they are stored in held-run records and counted in metrics. */
public enum CheckCode {
    /** The run's outcome is not {@code VALIDATED} (e.g. the file was rejected as a whole). */
    OUTCOME_NOT_VALIDATED,
    /** The run id is missing or malformed. */
    RUN_ID_INVALID,
    /** The event has no counts. */
    COUNTS_MISSING,
    /** {@code rows_read != silver + quarantined + condemned}. */
    COUNTS_UNBALANCED,
    /** The run was validated against another schema version than the table's. */
    SCHEMA_VERSION_MISMATCH,
    /** A partition entry is malformed (bad {@code YYYY-MM}, no manifest location, listed twice). */
    PARTITION_INVALID,
    /** The manifest is not where the lake layout puts the run's partition. */
    MANIFEST_LOCATION_UNEXPECTED,
    /** The partition's {@code _SUCCESS} marker does not exist: the partition may be incomplete. */
    SUCCESS_MARKER_MISSING,
    /** The manifest does not exist. */
    MANIFEST_MISSING,
    /** The manifest is not valid JSON of the expected shape. */
    MANIFEST_UNREADABLE,
    /** The manifest belongs to another run. */
    MANIFEST_RUN_MISMATCH,
    /** The manifest describes another partition. */
    MANIFEST_PARTITION_MISMATCH,
    /** A listed file is not inside the run's partition directory. */
    FILE_OUTSIDE_PARTITION,
    /** A listed file does not exist. */
    FILE_MISSING,
    /** A listed file's size differs from the manifest. */
    FILE_SIZE_MISMATCH,
    /** A listed file's SHA-256 differs from the manifest: it was changed after it was written. */
    FILE_CHECKSUM_MISMATCH,
    /** The manifest's row count differs from the sum of its files' rows. */
    MANIFEST_ROWS_MISMATCH,
    /** The event's row count for a partition differs from the manifest. */
    PARTITION_ROWS_MISMATCH,
    /** The sum of the partitions' rows differs from the event's Silver count. */
    SILVER_ROWS_MISMATCH,

    // ---- Audit gate: the data is intact but looks wrong; an operator may approve it ----

    /** More of the run's rows were quarantined than the policy allows (default 5%). */
    QUARANTINE_RATE_ABOVE_THRESHOLD,
    /** The run's Silver rows are far from the recent runs of the same source. */
    ROW_COUNT_ANOMALY,
    /** The file had columns the contract does not know, or lacked contract columns. */
    SCHEMA_DRIFT;

    /**
     * True for the audit gate's codes: the run's data is intact and an approval may promote it.
     * Every other code means the run's output is incomplete or untrustworthy; no approval can
     * promote it until a re-check passes.
     */
    public boolean approvable() {
        return this == QUARANTINE_RATE_ABOVE_THRESHOLD || this == ROW_COUNT_ANOMALY || this == SCHEMA_DRIFT;
    }
}
