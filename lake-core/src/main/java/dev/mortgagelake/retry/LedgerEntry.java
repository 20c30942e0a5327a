package dev.mortgagelake.retry;

import dev.mortgagelake.storage.Location;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The opening record of one ledger batch, created once when retry-service takes ownership of it:
 * the rows one run quarantined ({@code ROWS}), the rows one run condemned ({@code CONDEMNED_ROWS}),
 * or one file-level rejection ({@code FILE}). It never changes; what happens to the batch later is
 * appended as {@link LedgerTransition}s, and {@link LedgerBatch} folds both into the current state.
 *
 * @param kind              {@code ROWS}, {@code FILE} or {@code CONDEMNED_ROWS}
 * @param quarantine        the batch's file ({@code invalid_rows.parquet}, {@code condemned_rows.parquet}
 *                          or {@code file_rejection.json})
 * @param errorCounts       error codes (or, for condemned rows, {@link CondemnationPolicy.Reason}s) and counts
 * @param state             the opening state ({@link LedgerState#openingFor} its kind)
 * @param attemptCount      validation attempts the rows have had (1 after the first quarantine)
 * @param nextAttemptDueAt  when the next retry is due ({@code ROWS} only), else null
 * @param nextRunId         the run the next attempt becomes ({@code ROWS} only), else null
 * @param history           the opening step (one element)
 * @param createdAt         when the batch's rows were validated (the run's {@code validated_at})
 */
public record LedgerEntry(
        String batchRunId,
        String dataset,
        LocalDate ingestDate,
        String kind,
        Location quarantine,
        long rows,
        Map<String, Long> errorCounts,
        LedgerState state,
        int attemptCount,
        Instant nextAttemptDueAt,
        List<Transition> history,
        Instant createdAt,
        String nextRunId) {

    public static final String KIND_ROWS = "ROWS";
    public static final String KIND_FILE = "FILE";
    public static final String KIND_CONDEMNED_ROWS = "CONDEMNED_ROWS";

    public LedgerEntry {
        errorCounts = errorCounts == null ? Map.of() : Map.copyOf(errorCounts);
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** The layout's name of this entry's kind ({@code batches} or {@code condemned}), as in its keys. */
    public String ledgerKind() {
        return KIND_CONDEMNED_ROWS.equals(kind) ? QuarantineLedger.CONDEMNED : QuarantineLedger.BATCHES;
    }

    /** One step of the lifecycle: what happened, when, at which attempt, and why. */
    public record Transition(Instant at, LedgerState state, int attempt, String note) {
    }
}
