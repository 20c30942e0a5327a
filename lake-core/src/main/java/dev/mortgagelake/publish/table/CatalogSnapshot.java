package dev.mortgagelake.publish.table;

import java.util.Objects;

/**
 * Where one version of a lake table stands in a catalog table that follows the lake's version log
 * (an Iceberg table): the catalog's snapshot of that version and the metadata document that names it.
 *
 * @param tableVersion     the lake table version the catalog snapshot holds (the same data files)
 * @param snapshotId       the catalog's id of that snapshot (Iceberg: {@code snapshot-id}, used for
 *                         {@code FOR VERSION AS OF})
 * @param metadataLocation the catalog's metadata document current right after that snapshot was
 *                         committed (Iceberg: {@code metadata_location}); a later commit writes another
 */
public record CatalogSnapshot(long tableVersion, long snapshotId, String metadataLocation) {

    public CatalogSnapshot {
        Objects.requireNonNull(metadataLocation, "metadataLocation");
        if (tableVersion < 1) {
            throw new IllegalArgumentException("A catalog snapshot holds a committed version (>= 1), not " + tableVersion);
        }
    }
}
