package dev.mortgagelake.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.publish.table.TableLocation;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.publish.table.TableVersionLog;
import dev.mortgagelake.storage.ObjectStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Exactly-once checks of the Silver table, shared by {@code ./lake bench --system} and the chaos audit:
 * <ul>
 *   <li>by run ({@link #byRun}): every landed file's run is in the newest version once, with the Silver
 *       rows its validation record counts, and the table holds no other run (a lake where nothing is
 *       superseded: the bench);</li>
 *   <li>by TransactionID ({@link #duplicateIds}, {@link #lostAndUnexpected}): no id twice in a version, and
 *       the newest version holds exactly the ids that must be there (any lake: the chaos audit, where
 *       backfills supersede runs).</li>
 * </ul>
 */
public final class SilverExactlyOnce {

    private static final ObjectMapper JSON = EventCodec.newMapper();

    private final ObjectStore store;
    private final LakeLayout layout;

    public SilverExactlyOnce(ObjectStore store, LakeLayout layout) {
        this.store = store;
        this.layout = layout;
    }

    /**
     * A landed file as the checker sees it.
     *
     * @param runId             the run ingest gave it (from its content claim), empty if none
     * @param runPromotedEvents how many {@code run-promoted} events of that run were received
     */
    public record Landed(String name, Optional<String> runId, long rows, int runPromotedEvents) {
    }

    public TableLocation silverTable() {
        return new TableLocation(layout.buckets().silver(), layout.silverTableRoot("v1"));
    }

    /**
     * Every landed file is in the Silver table exactly once: its run is in the current version, with
     * exactly the Silver rows its validation record counts, and the table holds no other run. The JSON
     * of {@code exactly_once} in {@code ./lake bench --system}.
     */
    public ObjectNode byRun(List<Landed> files) {
        TableSnapshot table = new TableVersionLog(store, silverTable()).current();
        List<String> missing = new ArrayList<>();
        List<String> rowMismatch = new ArrayList<>();
        long events = 0;
        long redelivered = 0;
        long tableRows = 0;
        Set<String> expected = new HashSet<>();
        for (Landed file : files) {
            Optional<String> runId = file.runId();
            if (runId.isEmpty() || !table.containsRun(runId.get())) {
                missing.add(file.name());
                continue;
            }
            expected.add(runId.get());
            long rows = table.filesOf(runId.get()).values().stream().flatMap(List::stream).mapToLong(DataFile::rows).sum();
            RunValidated validated = validation(runId.get());
            if (rows != validated.counts().silver() || validated.counts().rowsRead() != file.rows()) {
                rowMismatch.add(file.name());
            }
            tableRows += rows;
            events += file.runPromotedEvents() == 0 ? 0 : 1;
            redelivered += Math.max(0, file.runPromotedEvents() - 1);
        }
        List<String> unexpected = table.runs().stream().filter(r -> !expected.contains(r)).toList();
        ObjectNode node = JSON.createObjectNode();
        node.put("files", files.size());
        node.put("runs_in_silver", table.runs().size());
        node.put("silver_rows", tableRows);
        node.put("run_promoted_events", events);
        node.put("repeated_run_promoted_events", redelivered);
        node.set("missing", JSON.valueToTree(missing));
        node.set("row_count_mismatch", JSON.valueToTree(rowMismatch));
        node.set("unexpected_runs", JSON.valueToTree(unexpected));
        node.put("ok", missing.isEmpty() && rowMismatch.isEmpty() && unexpected.isEmpty() && events == files.size());
        return node;
    }

    /**
     * Reports every TransactionID that appears twice in {@code snapshot} (to {@code violation}, one
     * message each); {@code idsOf} reads a data file's ids.
     *
     * @return the ids of the version
     */
    public static Set<String> duplicateIds(TableSnapshot snapshot, Function<DataFile, List<String>> idsOf, Consumer<String> violation) {
        Map<String, String> seen = new HashMap<>();
        for (List<DataFile> files : snapshot.partitions().values()) {
            for (DataFile file : files) {
                for (String id : idsOf.apply(file)) {
                    String other = seen.put(id, file.runId());
                    if (other != null) {
                        violation.accept("Silver version " + snapshot.version() + ": TransactionID " + id + " in run " + other + " and run "
                                + file.runId());
                    }
                }
            }
        }
        return seen.keySet();
    }

    /** Reports each id of {@code expected} missing from {@code present} and each id of {@code present} not expected, in id order. */
    public static void lostAndUnexpected(long version, Set<String> expected, Set<String> present, Consumer<String> violation) {
        new TreeSet<>(expected).stream().filter(id -> !present.contains(id))
                .forEach(id -> violation.accept("TransactionID " + id + " is missing from Silver version " + version));
        new TreeSet<>(present).stream().filter(id -> !expected.contains(id))
                .forEach(id -> violation.accept("TransactionID " + id + " is in Silver version " + version + " but must not be"));
    }

    private RunValidated validation(String runId) {
        try {
            return EventCodec.mapper().readValue(store.read(layout.validationRecord(RunId.of(runId))), RunValidated.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
