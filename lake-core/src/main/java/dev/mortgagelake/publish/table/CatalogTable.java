package dev.mortgagelake.publish.table;

import java.util.Optional;

/**
 * A table in another format that follows one lake table's version log, version by version, with the
 * same data files (Apache Iceberg: engines that read Iceberg resolve one snapshot atomically, which
 * no listing of {@code current/} can give them). The lake's log stays the authority: the catalog
 * table is written only from committed versions, and is repaired from the log.
 *
 * <h2>Contract of {@link #follow}</h2>
 * <ul>
 *   <li><b>Before</b>: versions {@code 1..n} of the log are committed; the catalog table holds a
 *       prefix {@code 1..k} of them ({@code k <= n}, possibly none), one snapshot per version, in
 *       order.</li>
 *   <li><b>After</b> it returns for {@code target} (version {@code t}): the catalog table holds
 *       {@code 1..max(k, t)}, each version exactly once and in order; its snapshot of {@code t} has
 *       exactly {@code t}'s data files.</li>
 *   <li><b>Idempotent</b>: a version already in the catalog table is never committed again, so a
 *       redelivered run, a second reconciler or a restart after a crash makes no second snapshot.</li>
 *   <li><b>Never destructive</b>: nothing is expired, no data file is deleted; a version that
 *       removed files from the lake table is a snapshot that no longer lists them.</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface CatalogTable {

    /** No catalog table: the lake's own log, {@code current/} and {@code _LATEST.json} only. */
    CatalogTable NONE = new CatalogTable() {
        @Override
        public Optional<CatalogSnapshot> follow(TableVersionLog log, TableSnapshot target) {
            return Optional.empty();
        }

        @Override
        public Optional<CatalogSnapshot> snapshotOf(long tableVersion) {
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "no catalog table";
        }
    };

    /**
     * Brings the catalog table up to {@code target}, committing every version of {@code log} it
     * lacks up to {@code target.version()}, in order.
     *
     * @return where {@code target} stands in the catalog table; empty only for {@link #NONE}
     * @throws RuntimeException if the catalog or the store fails; the lake's version stands, and
     *                          calling again repairs (already committed versions are skipped)
     */
    Optional<CatalogSnapshot> follow(TableVersionLog log, TableSnapshot target);

    /** The catalog snapshot of lake version {@code tableVersion}, if the catalog table holds it. */
    Optional<CatalogSnapshot> snapshotOf(long tableVersion);
}
