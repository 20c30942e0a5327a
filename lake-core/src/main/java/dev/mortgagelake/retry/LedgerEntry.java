package dev.mortgagelake.retry;

import dev.mortgagelake.storage.Location;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * retry-service's durable record of one quarantine batch (the rows one run quarantined) or one
 * file-level rejection. Its {@code state} is where the batch is in its lifecycle; {@code history}
 * is append-only.
 *
 * @param kind              {@code ROWS} for a quarantine batch, {@code FILE} for a file-level rejection,
 *                          {@code CONDEMNED_ROWS} for the rows a run condemned (state {@code CONDEMNED},
 *                          {@code errorCounts} by {@link CondemnationPolicy.Reason})
 * @param attemptCount      validation attempts made so far (1 after the first quarantine)
 * @param nextAttemptDueAt  when the next retry is due, or null when none is scheduled
 */
public record LedgerEntry(
        String batchRunId,
        String dataset,
        LocalDate ingestDate,
        String kind,
        Location quarantine,
        long rows,
        Map<String, Long> errorCounts,
        String state,
        int attemptCount,
        Instant nextAttemptDueAt,
        List<Transition> history,
        Instant createdAt) {

    public static final String KIND_ROWS = "ROWS";
    public static final String KIND_FILE = "FILE";
    public static final String KIND_CONDEMNED_ROWS = "CONDEMNED_ROWS";

    /** Rows wait for their next attempt. */
    public static final String STATE_PENDING_RETRY = "PENDING_RETRY";
    /** A whole file was rejected; it needs a human decision before anything is retried. */
    public static final String STATE_AWAITING_REVIEW = "AWAITING_REVIEW";
    /** Rows condemned by {@link CondemnationPolicy}: kept forever, never retried without an approval. */
    public static final String STATE_CONDEMNED = "CONDEMNED";

    public LedgerEntry {
        errorCounts = errorCounts == null ? Map.of() : Map.copyOf(errorCounts);
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** One step of the lifecycle: what happened, when, at which attempt, and why. */
    public record Transition(Instant at, String state, int attempt, String note) {
    }
}
