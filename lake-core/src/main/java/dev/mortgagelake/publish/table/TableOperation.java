package dev.mortgagelake.publish.table;

/**
 * What a version did to the table. New operations (e.g. a rollback that restores an earlier state)
 * are added as new constants; the snapshot format itself does not change.
 */
public enum TableOperation {
    /** Data files of one or more runs were added; nothing was removed. */
    APPEND,
    /**
     * Named partitions were replaced whole (their files swapped for a new run's) or removed; every
     * other partition keeps its files. Gold uses it to rewrite the recomputed months only.
     */
    REPLACE_PARTITIONS
}
