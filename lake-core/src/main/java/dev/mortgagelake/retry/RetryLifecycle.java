package dev.mortgagelake.retry;

import dev.mortgagelake.event.RetryDue;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.retry.audit.AuditEntry;
import dev.mortgagelake.retry.audit.AuditTrail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * retry-service's domain: the lifecycle of every quarantined row, batch by batch, in the
 * {@link QuarantineLedger}.
 *
 * <ul>
 *   <li>{@link #onRunValidated}: a retry run retires the batch it re-validated ({@code RETRIED} or
 *       {@code REPROCESSED}, naming the run and its outcome); then whatever the run quarantined becomes
 *       a batch pending its next attempt (due after the {@link BackoffSchedule} delay) and whatever it
 *       condemned a condemned batch. Each automatic decision is audited.</li>
 *   <li>{@link #retryDue}: the {@code retry-due} of a batch's outstanding attempt. The attempt's run id
 *       was fixed when it was scheduled, and {@code condemn_on_failure} is {@link CondemnationPolicy}'s
 *       decision for that attempt, so rows failing their third attempt are condemned.</li>
 *   <li>{@link #outstanding}: every batch whose attempt is due, for the durable sweep that emits any
 *       {@code retry-due} that was lost, delayed beyond SQS's limit, or never sent (a crash).</li>
 * </ul>
 * Every operation is idempotent: the same event handled twice, or a sweep after a restart, changes
 * nothing more than handling it once.
 */
public final class RetryLifecycle {

    private static final int CONFLICT_RETRIES = 5;

    private final QuarantineLedger ledger;
    private final AuditTrail audit;
    private final Clock clock;

    public RetryLifecycle(QuarantineLedger ledger, AuditTrail audit, Clock clock) {
        this.ledger = ledger;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * What handling a validated run did.
     *
     * @param retired the batch this retry run retired (null for runs from Bronze, or when it was already retired)
     * @param recorded the ledger entries of the run's quarantined and condemned rows
     * @param pending  the run's new batch pending its next attempt, if this call created it
     */
    public record Handled(LedgerBatch retired, QuarantineLedger.Recorded recorded, Optional<LedgerBatch> pending) {
    }

    public Handled onRunValidated(RunValidated run) {
        LedgerBatch retired = run.retry() == null ? null : retire(run);
        QuarantineLedger.Recorded recorded = ledger.recordRun(run);
        recorded.condemned().ifPresent(entry ->
                audit.record(entry.createdAt(), AuditEntry.SYSTEM_ACTOR, AuditEntry.SYSTEM_ROLE, AuditEntry.CONDEMNED, entry.batchRunId(),
                        entry.batchRunId(), "CondemnationPolicy: " + entry.errorCounts(),
                        Map.of("rows", String.valueOf(entry.rows()), "attempt_count", String.valueOf(entry.attemptCount()),
                                "file", entry.quarantine().key())));
        Optional<LedgerBatch> pending = Optional.empty();
        if (recorded.batch().isPresent()) {
            LedgerEntry entry = recorded.batch().get();
            boolean file = LedgerEntry.KIND_FILE.equals(entry.kind());
            audit.record(entry.createdAt(), AuditEntry.SYSTEM_ACTOR, AuditEntry.SYSTEM_ROLE,
                    file ? AuditEntry.FILE_REJECTED : AuditEntry.QUARANTINED, entry.batchRunId(), entry.batchRunId(),
                    file ? "file-level fault " + entry.errorCounts().keySet() : "rows failed the contract " + entry.errorCounts(),
                    file ? Map.of("file", entry.quarantine().key())
                            : Map.of("rows", String.valueOf(entry.rows()), "attempt_count", String.valueOf(entry.attemptCount()),
                                    "next_attempt_due_at", String.valueOf(entry.nextAttemptDueAt()), "next_run_id", entry.nextRunId()));
            if (recorded.batchCreated() && !file) {
                pending = Optional.of(new LedgerBatch(entry, List.of()));
            }
        }
        return new Handled(retired, recorded, pending);
    }

    /** The {@code retry-due} of {@code batch}'s outstanding attempt. */
    public RetryDue retryDue(LedgerBatch batch) {
        if (!batch.attemptOutstanding()) {
            throw new IllegalStateException("Batch " + batch.batchRunId() + " is " + batch.state() + "; no attempt is outstanding");
        }
        int attempt = batch.attemptCount() + 1;
        String reason = RetryDue.REASON_SCHEDULED;
        String requestId = null;
        if (!batch.transitions().isEmpty()) {
            LedgerTransition last = batch.transitions().get(batch.transitions().size() - 1);
            reason = last.attemptReason() == null ? RetryDue.REASON_SCHEDULED : last.attemptReason();
            requestId = last.requestId();
        }
        LedgerEntry entry = batch.entry();
        return new RetryDue(entry.batchRunId(), entry.dataset(), entry.ingestDate(), entry.quarantine(), attempt,
                batch.nextAttemptDueAt(), reason, batch.nextRunId(), batch.batchKind(), entry.createdAt(),
                CondemnationPolicy.afterAttempts(attempt).isPresent(), requestId);
    }

    /** Every batch with an attempt outstanding and due by {@code horizon}, earliest due first. */
    public List<LedgerBatch> outstanding(Instant horizon) {
        List<LedgerBatch> due = new ArrayList<>();
        for (LedgerBatch batch : ledger.batches()) {
            if (batch.attemptOutstanding() && batch.nextAttemptDueAt() != null && !batch.nextAttemptDueAt().isAfter(horizon)) {
                due.add(batch);
            }
        }
        due.sort(java.util.Comparator.comparing(LedgerBatch::nextAttemptDueAt));
        return due;
    }

    /** Seconds the most overdue outstanding attempt has waited past its due time at {@code now} (0 when none). */
    public static double oldestOverdueSeconds(List<LedgerBatch> batches, Instant now) {
        return batches.stream()
                .filter(b -> b.attemptOutstanding() && b.nextAttemptDueAt() != null && b.nextAttemptDueAt().isBefore(now))
                .mapToDouble(b -> Duration.between(b.nextAttemptDueAt(), now).toMillis() / 1000.0)
                .max().orElse(0);
    }

    /**
     * Marks the batch a retry run re-validated as retired by it (once; a redelivery finds it retired).
     * Only a batch whose attempt was outstanding can be retired ({@link LedgerState}: {@code PENDING_RETRY}
     * to {@code RETRIED}, {@code REPROCESSING_APPROVED} to {@code REPROCESSED}); any other state is refused
     * by the ledger with {@link IllegalLedgerTransitionException}.
     */
    private LedgerBatch retire(RunValidated run) {
        RunValidated.RetryOf retry = run.retry();
        for (int i = 0; i < CONFLICT_RETRIES; i++) {
            Optional<LedgerBatch> found = ledger.batchOf(retry.batchKind(), retry.batchRunId());
            if (found.isEmpty()) {
                throw new IllegalStateException("Retry run " + run.runId() + " re-validated batch " + retry.batchKind() + " "
                        + retry.batchRunId() + ", which is not in the ledger");
            }
            LedgerBatch batch = found.get();
            if (batch.terminal()) {
                return null;
            }
            boolean condemned = RetryDue.BATCH_CONDEMNED.equals(retry.batchKind());
            LedgerState state = condemned ? LedgerState.REPROCESSED : LedgerState.RETRIED;
            Map<String, Long> outcome = new LinkedHashMap<>();
            outcome.put("silver", run.counts().silver());
            outcome.put("quarantined", run.counts().quarantined());
            outcome.put("condemned", run.counts().condemned());
            String note = "attempt " + retry.attempt() + " (" + retry.reason() + ") by run " + run.runId() + ": " + run.counts().silver()
                    + " row(s) into Silver, " + run.counts().quarantined() + " quarantined again, " + run.counts().condemned()
                    + " condemned";
            try {
                LedgerBatch updated = ledger.append(batch, new LedgerTransition(0, run.validatedAt(), state, retry.attempt(), null, null,
                        null, AuditEntry.SYSTEM_ACTOR, retry.requestId(), run.runId(), outcome, note));
                audit.record(run.validatedAt(), AuditEntry.SYSTEM_ACTOR, AuditEntry.SYSTEM_ROLE,
                        condemned ? AuditEntry.REPROCESSED : AuditEntry.RETRIED, retry.batchRunId(), retry.batchRunId(), note,
                        Map.of("retry_run_id", run.runId(), "attempt", String.valueOf(retry.attempt()), "reason", retry.reason(),
                                "silver", String.valueOf(run.counts().silver()), "quarantined", String.valueOf(run.counts().quarantined()),
                                "condemned", String.valueOf(run.counts().condemned())));
                return updated;
            } catch (LedgerConflictException e) {
                // Another step landed (e.g. an approval); read again and decide again.
            }
        }
        throw new LedgerConflictException("Batch " + retry.batchRunId() + " kept changing while run " + run.runId() + " retired it");
    }
}
