package dev.mortgagelake.publish.table;

import java.util.Objects;

/**
 * The version of another table that a derived table's snapshot was computed from (a Gold snapshot
 * names the Silver version it was computed from). Stored in the snapshot document as
 * {@code "source":{"bucket":..,"root":..,"version":..}}, so a reader holding one source version can
 * find the derived versions computed from it.
 *
 * @param bucket  the source table's bucket
 * @param root    the source table's root prefix
 * @param version the source table's version (>= 0; 0 is the empty source table)
 */
public record SnapshotSource(String bucket, String root, long version) {

    public SnapshotSource {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(root, "root");
        if (version < 0) {
            throw new IllegalArgumentException("Negative source version " + version);
        }
    }

    /** {@code version} of {@code table}. */
    public static SnapshotSource of(TableLocation table, long version) {
        return new SnapshotSource(table.bucket(), table.root(), version);
    }

    /** True if this names a version of {@code table}. */
    public boolean isOf(TableLocation table) {
        return bucket.equals(table.bucket()) && root.equals(table.root());
    }
}
