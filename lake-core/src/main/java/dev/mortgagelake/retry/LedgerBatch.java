package dev.mortgagelake.retry;

import dev.mortgagelake.event.RetryDue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A ledger batch as it is now: its opening {@link LedgerEntry} and every {@link LedgerTransition}
 * since, in order. The state, attempt count, due time and next run are those of the last step.
 */
public record LedgerBatch(LedgerEntry entry, List<LedgerTransition> transitions) {

    public LedgerBatch {
        transitions = List.copyOf(transitions);
    }

    public String batchRunId() {
        return entry.batchRunId();
    }

    public String kind() {
        return entry.kind();
    }

    /** {@link RetryDue#BATCH_QUARANTINE} or {@link RetryDue#BATCH_CONDEMNED}. */
    public String batchKind() {
        return LedgerEntry.KIND_CONDEMNED_ROWS.equals(entry.kind()) ? RetryDue.BATCH_CONDEMNED : RetryDue.BATCH_QUARANTINE;
    }

    public LedgerState state() {
        return last().map(LedgerTransition::state).orElse(entry.state());
    }

    public int attemptCount() {
        return last().map(LedgerTransition::attempt).orElse(entry.attemptCount());
    }

    public Instant nextAttemptDueAt() {
        return last().isPresent() ? last().get().nextAttemptDueAt() : entry.nextAttemptDueAt();
    }

    public String nextRunId() {
        return last().isPresent() ? last().get().nextRunId() : entry.nextRunId();
    }

    /** The sequence number the next appended step gets. */
    public int nextSequence() {
        return transitions.size() + 1;
    }

    /** Whether the batch's rows have left it (retried or reprocessed): nothing can happen to it any more. */
    public boolean terminal() {
        return state().terminal();
    }

    /** Whether an attempt of this batch is scheduled or approved and not yet made. */
    public boolean attemptOutstanding() {
        return state().attemptOutstanding();
    }

    /** The step that made the batch terminal (names the retry run), if any. */
    public Optional<LedgerTransition> retiredBy() {
        return terminal() ? last() : Optional.empty();
    }

    /** Every step, opening included, as readable lines for the operator API and logs. */
    public List<String> describeHistory() {
        List<String> lines = new ArrayList<>();
        for (LedgerEntry.Transition opening : entry.history()) {
            lines.add(opening.at() + " " + opening.state() + " (attempt " + opening.attempt() + "): " + opening.note());
        }
        for (LedgerTransition step : transitions) {
            lines.add(step.at() + " " + step.state() + " (attempt " + step.attempt() + ", by " + step.actor() + "): " + step.note());
        }
        return lines;
    }

    private Optional<LedgerTransition> last() {
        return transitions.isEmpty() ? Optional.empty() : Optional.of(transitions.get(transitions.size() - 1));
    }
}
