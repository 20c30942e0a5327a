package dev.mortgagelake.publish.table;

/**
 * What a version did to the table. New operations are added as new constants; the snapshot format
 * itself does not change.
 */
public enum TableOperation {
    /** Data files of one or more runs were added; nothing was removed. */
    APPEND,
    /**
     * The table was pointed back to the state of an earlier version (property
     * {@code rollback_to_version}); the runs added since are retired ({@code run_ids} names them).
     */
    ROLLBACK,
    /**
     * A backfill run was added and the runs it supersedes (same Bronze content) were retired; their
     * files leave the table, nothing is deleted from storage.
     */
    BACKFILL,
    /**
     * Named partitions were replaced whole (their files swapped for a new run's) or removed; every
     * other partition keeps its files. Gold uses it to rewrite the recomputed months only.
     */
    REPLACE_PARTITIONS
}
