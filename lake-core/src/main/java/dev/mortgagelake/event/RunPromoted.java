package dev.mortgagelake.event;

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
        SortedMap<String, Long> gold) {

    public RunPromoted {
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
        gold = gold == null ? new TreeMap<>() : new TreeMap<>(gold);
    }

    /** A payload without Gold versions (Gold not published, or not yet). */
    public RunPromoted(String runId, String dataset, String schemaVersion, String table, long tableVersion, List<String> partitions,
                       long rows, Location latest, Instant promotedAt) {
        this(runId, dataset, schemaVersion, table, tableVersion, partitions, rows, latest, promotedAt, null);
    }

    /** This payload naming {@code goldVersions} (dataset name to Gold table version). */
    public RunPromoted withGold(Map<String, Long> goldVersions) {
        return new RunPromoted(runId, dataset, schemaVersion, table, tableVersion, partitions, rows, latest, promotedAt,
                new TreeMap<>(goldVersions));
    }
}
