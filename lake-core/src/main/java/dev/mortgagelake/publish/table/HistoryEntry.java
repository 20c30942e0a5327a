package dev.mortgagelake.publish.table;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One version of the promotion history: the snapshot without its file lists. */
public record HistoryEntry(
        long version,
        Long parentVersion,
        Instant committedAt,
        String commitId,
        TableOperation operation,
        List<String> runIds,
        SnapshotSummary summary,
        Map<String, String> properties) {

    public HistoryEntry {
        runIds = runIds == null ? List.of() : List.copyOf(runIds);
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public static HistoryEntry of(TableSnapshot snapshot) {
        return new HistoryEntry(snapshot.version(), snapshot.parentVersion(), snapshot.committedAt(), snapshot.commitId(),
                snapshot.operation(), snapshot.runIds(), snapshot.summary(), snapshot.properties());
    }
}
