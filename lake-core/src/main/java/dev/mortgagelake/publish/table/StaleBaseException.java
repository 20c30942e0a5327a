package dev.mortgagelake.publish.table;

/**
 * A change was prepared against one version of a table, and another writer committed a different
 * version first, so the change cannot simply be re-applied: its content was computed from the
 * state it expected. Nothing was committed by this attempt; the caller recomputes the change from
 * the table's new state and commits again.
 */
public class StaleBaseException extends RuntimeException {

    private final long expectedVersion;
    private final long actualVersion;

    public StaleBaseException(String change, long expectedVersion, long actualVersion) {
        super("Cannot commit " + change + ": it was computed on table version " + expectedVersion
                + " but the table is at version " + actualVersion + "; recompute it");
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    public long expectedVersion() {
        return expectedVersion;
    }

    public long actualVersion() {
        return actualVersion;
    }
}
