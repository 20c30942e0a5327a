package dev.mortgagelake.publish.audit;

import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.publish.check.CheckCode;
import dev.mortgagelake.publish.check.CheckFailure;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.publish.table.TableSnapshot;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Quality checks on a run whose output is intact (the audit gate). Each failure is a reason to hold the run:
 * <ul>
 *   <li>{@link CheckCode#QUARANTINE_RATE_ABOVE_THRESHOLD}: {@code quarantined / rows_read > maxQuarantineRate},
 *       for runs read from Bronze. Retry runs re-validate rows that were all invalid before, so a high
 *       rate there says nothing about the quality of a delivery; their still-invalid rows are already in
 *       the retry lifecycle, and holding the run would only keep the rows that now pass out of Silver.</li>
 *   <li>{@link CheckCode#ROW_COUNT_ANOMALY}: the run's Silver rows lie outside
 *       {@code [median / factor, median * factor]}, where the median is over the Silver rows of the
 *       last {@code rowCountHistory} runs in the current table version of the same source, and only
 *       when there are at least {@code rowCountMinHistory} of them. "Same source" means first
 *       ingests and backfills of the dataset (run ids without the {@code _RETRY} suffix); retry
 *       runs only carry the rows that now pass, so they are neither checked nor counted. "Recent"
 *       is run-id order, which is creation order.</li>
 *   <li>{@link CheckCode#SCHEMA_DRIFT}: {@code run-validated.drift} names unknown or missing columns.</li>
 * </ul>
 * Pure: reads nothing but its arguments.
 */
public final class AuditGate {

    private static final String RETRY_SUFFIX = "_RETRY";

    private final AuditPolicy policy;

    public AuditGate(AuditPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public AuditPolicy policy() {
        return policy;
    }

    /** Every audit reason to hold {@code run} against the table state {@code current}; empty: pass. */
    public List<CheckFailure> check(RunValidated run, TableSnapshot current) {
        List<CheckFailure> failures = new ArrayList<>();
        RunValidated.Counts counts = run.counts();
        if (counts != null && counts.rowsRead() > 0 && policy.maxQuarantineRate().compareTo(BigDecimal.ONE) < 0 && !isRetry(run)) {
            BigDecimal rate = BigDecimal.valueOf(counts.quarantined()).divide(BigDecimal.valueOf(counts.rowsRead()), 4, RoundingMode.HALF_EVEN);
            if (BigDecimal.valueOf(counts.quarantined()).compareTo(policy.maxQuarantineRate().multiply(BigDecimal.valueOf(counts.rowsRead()))) > 0) {
                failures.add(new CheckFailure(CheckCode.QUARANTINE_RATE_ABOVE_THRESHOLD, "Run " + run.runId() + " quarantined "
                        + counts.quarantined() + " of " + counts.rowsRead() + " rows (rate " + rate.toPlainString()
                        + "), above the threshold " + policy.maxQuarantineRate().toPlainString()));
            }
        }
        if (counts != null && policy.rowCountFactor() > 0 && !isRetry(run)) {
            List<Long> recent = recentRows(current, run.runId());
            if (recent.size() >= policy.rowCountMinHistory()) {
                long median = median(recent);
                long low = median / policy.rowCountFactor();
                long high = median * policy.rowCountFactor();
                if (counts.silver() < low || counts.silver() > high) {
                    failures.add(new CheckFailure(CheckCode.ROW_COUNT_ANOMALY, "Run " + run.runId() + " has " + counts.silver()
                            + " Silver rows; the median of the last " + recent.size() + " runs is " + median
                            + ", the accepted range [" + low + ", " + high + "]"));
                }
            }
        }
        RunValidated.Drift drift = run.drift();
        if (policy.holdOnDrift() && drift != null && (!drift.unknownColumns().isEmpty() || !drift.missingColumns().isEmpty())) {
            failures.add(new CheckFailure(CheckCode.SCHEMA_DRIFT, "Run " + run.runId() + " drifted from the contract: unknown columns "
                    + drift.unknownColumns() + ", missing columns " + drift.missingColumns()));
        }
        return failures;
    }

    /** Silver rows of the most recent runs of the same source in {@code current}, newest first. */
    List<Long> recentRows(TableSnapshot current, String excludeRunId) {
        Map<String, Long> rowsByRun = new TreeMap<>(Comparator.reverseOrder());
        for (List<DataFile> files : current.partitions().values()) {
            for (DataFile file : files) {
                if (!file.runId().endsWith(RETRY_SUFFIX) && !file.runId().equals(excludeRunId)) {
                    rowsByRun.merge(file.runId(), file.rows(), Long::sum);
                }
            }
        }
        return rowsByRun.values().stream().limit(policy.rowCountHistory()).toList();
    }

    private static boolean isRetry(RunValidated run) {
        return "RETRY".equals(run.runKind()) || (run.runId() != null && run.runId().endsWith(RETRY_SUFFIX));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
