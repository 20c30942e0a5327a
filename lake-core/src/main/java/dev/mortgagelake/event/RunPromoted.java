package dev.mortgagelake.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mortgagelake.storage.Location;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A run's Silver partitions became part of the authoritative table version {@code tableVersion},
 * and {@code latest} names it.
 *
 * @param table        the table root, e.g. {@code silver/mortgages/transactions/_table/schema_v=v1/}
 * @param tableVersion the committed version number (1, 2, ...)
 * @param partitions   the business months ({@code YYYY-MM}) the run added to
 * @param rows         Silver rows the run added
 * @param latest       the {@code _LATEST.json} pointer that names this version
 * @param gold         OPTIONAL (added in v1, readers must tolerate its absence): per Gold dataset
 *                     ({@code account_balances}, ...), the Gold table version computed from Silver
 *                     {@code tableVersion} whose {@code current/} and {@code _LATEST.json} were in
 *                     place when the event was emitted. A dataset is missing when its Gold
 *                     publication failed (the reconciler repairs it later) or when Gold already
 *                     reflected a newer Silver version; empty when none applies. Absent means empty.
 * @param icebergSnapshotId       OPTIONAL (added in v1; absent when no Iceberg table follows Silver, or
 *                                its commit had not happened when the event was emitted): the Iceberg
 *                                snapshot of the Silver table that holds {@code tableVersion}
 * @param icebergMetadataLocation OPTIONAL, with {@code icebergSnapshotId}: the Iceberg metadata document
 *                                current when that snapshot was committed
 */
public record RunPromoted(
        String runId,
        String dataset,
        String schemaVersion,
        String table,
        long tableVersion,
        List<String> partitions,
        long rows,
        Location latest,
        Instant promotedAt,
        SortedMap<String, Long> gold,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long icebergSnapshotId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String icebergMetadataLocation) {

    public RunPromoted {
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
        gold = gold == null ? new TreeMap<>() : new TreeMap<>(gold);
        if ((icebergSnapshotId == null) != (icebergMetadataLocation == null)) {
            throw new IllegalArgumentException("An Iceberg snapshot id and its metadata location go together");
        }
    }

    /** A payload without Iceberg snapshot. */
    public RunPromoted(String runId, String dataset, String schemaVersion, String table, long tableVersion, List<String> partitions,
                       long rows, Location latest, Instant promotedAt, SortedMap<String, Long> gold) {
        this(runId, dataset, schemaVersion, table, tableVersion, partitions, rows, latest, promotedAt, gold, null, null);
    }

    /** A payload without Gold versions (Gold not published, or not yet). */
    public RunPromoted(String runId, String dataset, String schemaVersion, String table, long tableVersion, List<String> partitions,
                       long rows, Location latest, Instant promotedAt) {
        this(runId, dataset, schemaVersion, table, tableVersion, partitions, rows, latest, promotedAt, null);
    }

    /** This payload naming {@code goldVersions} (dataset name to Gold table version). */
    public RunPromoted withGold(Map<String, Long> goldVersions) {
        return new RunPromoted(runId, dataset, schemaVersion, table, tableVersion, partitions, rows, latest, promotedAt,
                new TreeMap<>(goldVersions), icebergSnapshotId, icebergMetadataLocation);
    }

    /** This payload naming the Iceberg snapshot of {@code tableVersion} and its metadata document (both null: none). */
    public RunPromoted withIceberg(Long snapshotId, String metadataLocation) {
        return new RunPromoted(runId, dataset, schemaVersion, table, tableVersion, partitions, rows, latest, promotedAt, gold,
                snapshotId, metadataLocation);
    }
}
