package dev.mortgagelake.retry;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.RetryDue;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.storage.StoredObject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Proves conservation for the whole lake: every row that ever entered (read from Bronze by a run)
 * is in exactly one final or pending place: Silver (a run's Silver rows), a quarantine batch whose
 * rows have not been retried yet, or a condemned batch whose rows have not been reprocessed.
 *
 * <p>What is checked, from the runs' validation records (the source of truth of each run's counts)
 * and the {@link QuarantineLedger}:
 * <ul>
 *   <li>every run balances: {@code rows_read = silver + quarantined + condemned};</li>
 *   <li>every quarantine, condemned and file-rejection output of a run has its ledger batch;</li>
 *   <li>every retry run re-validated a batch the ledger has, read exactly that batch's rows, and is the
 *       one run the ledger says retired that batch (a batch is never retried twice);</li>
 *   <li>rows entered = Silver + rows in open quarantine batches + rows in open condemned batches,
 *       where open means not (yet) re-validated by a retry run.</li>
 * </ul>
 * Read-only. A violation while runs are in flight (a retry run validated, its {@code run-validated}
 * not yet handled by retry-service) is transient; on a quiet lake any violation is a defect.
 */
public final class LakeConservation {

    private final ObjectStore store;
    private final LakeLayout layout;
    private final QuarantineLedger ledger;

    public LakeConservation(ObjectStore store, LakeLayout layout, QuarantineLedger ledger) {
        this.store = store;
        this.layout = layout;
        this.ledger = ledger;
    }

    /**
     * The result of a check.
     *
     * @param runs              validated runs read from Bronze (first ingests and backfills)
     * @param retryRuns         retry runs
     * @param filesRejected     runs whose file was rejected as a whole (kept in Bronze, 0 rows)
     * @param rowsEntered       rows read from Bronze by {@code runs}
     * @param silver            rows written to Silver by all runs
     * @param quarantinePending rows in quarantine batches not yet retried
     * @param condemned         rows in condemned batches not reprocessed
     * @param openRowsByState   rows of the open batches by ledger state
     * @param violations        every broken rule, readable; empty when conservation holds
     */
    public record Report(int runs, int retryRuns, int filesRejected, long rowsEntered, long silver, long quarantinePending,
                         long condemned, Map<String, Long> openRowsByState, List<String> violations) {

        public boolean holds() {
            return violations.isEmpty();
        }
    }

    public Report check() {
        List<RunValidated> records = new ArrayList<>();
        for (StoredObject object : (Iterable<StoredObject>) store.listing(layout.buckets().silver(), layout.validationRecordsPrefix())::iterator) {
            if (!object.location().key().endsWith("/run-validated.json")) {
                continue;
            }
            try {
                records.add(EventCodec.mapper().readValue(store.read(object.location()), RunValidated.class));
            } catch (IOException e) {
                throw new StorageException("Unreadable validation record " + object.location() + ": " + e.getMessage(), false, e);
            }
        }
        List<String> violations = new ArrayList<>();
        Map<String, RunValidated> consumedBy = new HashMap<>();
        int runs = 0;
        int retryRuns = 0;
        int filesRejected = 0;
        long entered = 0;
        long silver = 0;
        for (RunValidated run : records) {
            RunValidated.Counts c = run.counts();
            if (!c.balanced()) {
                violations.add("run " + run.runId() + " does not balance: " + c);
            }
            silver += c.silver();
            if (run.retry() == null) {
                runs++;
                entered += c.rowsRead();
            } else {
                retryRuns++;
                String key = run.retry().batchKind() + "/" + run.retry().batchRunId();
                RunValidated other = consumedBy.put(key, run);
                if (other != null) {
                    violations.add("batch " + key + " was re-validated by two runs: " + other.runId() + " and " + run.runId());
                }
            }
            if (RunValidated.OUTCOME_FILE_REJECTED.equals(run.outcome())) {
                filesRejected++;
                if (ledger.find(run.runId()).isEmpty()) {
                    violations.add("the file rejection of run " + run.runId() + " has no ledger entry");
                }
            }
        }
        long quarantinePending = 0;
        long condemned = 0;
        Map<String, Long> byState = new TreeMap<>();
        for (RunValidated run : records) {
            RunValidated.Counts c = run.counts();
            if (c.quarantined() > 0) {
                quarantinePending += open(run, RetryDue.BATCH_QUARANTINE, c.quarantined(), consumedBy, byState, violations);
            }
            if (c.condemned() > 0) {
                condemned += open(run, RetryDue.BATCH_CONDEMNED, c.condemned(), consumedBy, byState, violations);
            }
        }
        consumedBy.forEach((key, retryRun) -> {
            boolean known = records.stream().anyMatch(r -> r.runId().equals(retryRun.retry().batchRunId()));
            if (!known) {
                violations.add("retry run " + retryRun.runId() + " re-validated " + key + ", which no validated run produced");
            }
        });
        if (entered != silver + quarantinePending + condemned) {
            violations.add("rows entered " + entered + " != Silver " + silver + " + quarantine pending " + quarantinePending
                    + " + condemned " + condemned);
        }
        return new Report(runs, retryRuns, filesRejected, entered, silver, quarantinePending, condemned, byState, violations);
    }

    /** The rows of a run's batch that are still in it (0 when a retry run took them), checking the ledger agrees. */
    private long open(RunValidated run, String batchKind, long rows, Map<String, RunValidated> consumedBy, Map<String, Long> byState,
                      List<String> violations) {
        String key = batchKind + "/" + run.runId();
        Optional<LedgerBatch> batch = ledger.batchOf(batchKind, run.runId());
        if (batch.isEmpty()) {
            violations.add("the " + rows + " " + batchKind.toLowerCase(java.util.Locale.ROOT) + " row(s) of run " + run.runId()
                    + " have no ledger batch");
            return consumedBy.containsKey(key) ? 0 : rows;
        }
        RunValidated retryRun = consumedBy.get(key);
        if (retryRun == null) {
            if (batch.get().terminal()) {
                violations.add("ledger batch " + key + " is " + batch.get().state() + " but no retry run re-validated it");
            }
            byState.merge(batch.get().state().name(), rows, Long::sum);
            return rows;
        }
        if (retryRun.counts().rowsRead() != rows) {
            violations.add("retry run " + retryRun.runId() + " read " + retryRun.counts().rowsRead() + " row(s) of batch " + key
                    + ", which holds " + rows);
        }
        String retiredBy = batch.get().retiredBy().map(LedgerTransition::retryRunId).orElse(null);
        if (!retryRun.runId().equals(retiredBy)) {
            violations.add("batch " + key + " was re-validated by run " + retryRun.runId() + " but the ledger says "
                    + (retiredBy == null ? batch.get().state() : "retired by " + retiredBy));
        }
        return 0;
    }
}
