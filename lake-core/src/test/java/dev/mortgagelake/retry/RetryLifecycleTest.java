package dev.mortgagelake.retry;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.RetryDue;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.operator.Actor;
import dev.mortgagelake.retry.approval.FourEyesViolationException;
import dev.mortgagelake.retry.approval.OperatorRequest;
import dev.mortgagelake.retry.approval.OperatorRequests;
import dev.mortgagelake.retry.approval.RequestDecision;
import dev.mortgagelake.retry.approval.RequestRefusedException;
import dev.mortgagelake.retry.approval.RequestView;
import dev.mortgagelake.retry.audit.AuditEntry;
import dev.mortgagelake.retry.audit.AuditTrail;
import dev.mortgagelake.storage.FileSystemObjectStore;
import dev.mortgagelake.storage.Location;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The retry lifecycle over a real (file-system) store: runs are given as the validation records
 * validation-service would write, so the ledger, the approvals, the audit trail and the
 * conservation check are exercised exactly as retry-service uses them.
 */
class RetryLifecycleTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final LocalDate INGEST = LocalDate.parse("2026-03-02");
    private static final Actor QUINN = new Actor("quinn", Set.of(OperatorRequests.QUALITY_ANALYST));
    private static final Actor SAM = new Actor("sam", Set.of(OperatorRequests.QUALITY_ANALYST, OperatorRequests.QUALITY_APPROVER));
    private static final Actor RITA = new Actor("rita", Set.of(OperatorRequests.QUALITY_APPROVER));

    @TempDir
    Path root;

    private FileSystemObjectStore store;
    private LakeLayout layout;
    private QuarantineLedger ledger;
    private AuditTrail audit;
    private RetryLifecycle lifecycle;
    private OperatorRequests requests;
    private LakeConservation conservation;
    private final MutableClock clock = new MutableClock(T0.plusSeconds(1));

    @BeforeEach
    void setUp() {
        store = new FileSystemObjectStore(root);
        layout = new LakeLayout(new LakeBuckets("landing", "bronze", "silver", "gold", "quarantine"));
        ledger = new QuarantineLedger(store, layout, new BackoffSchedule(List.of(Duration.ofMinutes(15), Duration.ofHours(1))));
        audit = new AuditTrail(store, layout);
        lifecycle = new RetryLifecycle(ledger, audit, clock);
        requests = new OperatorRequests(store, layout, ledger, audit, clock);
        conservation = new LakeConservation(store, layout, ledger);
    }

    @Test
    void aQuarantinedBatchIsRetriedOnScheduleAndCondemnedAfterTheThirdAttempt() {
        RunValidated first = validated(RunId.newRun(T0).value(), T0, 10, 7, 3, 0, null);

        RetryLifecycle.Handled handled = lifecycle.onRunValidated(first);

        LedgerBatch pending = handled.pending().orElseThrow();
        assertThat(pending.state()).isEqualTo(LedgerState.PENDING_RETRY);
        assertThat(pending.nextAttemptDueAt()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
        RetryDue second = lifecycle.retryDue(pending);
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.retryRunId()).endsWith("_RETRY").isEqualTo(pending.nextRunId());
        assertThat(second.condemnOnFailure()).isFalse();
        assertThat(second.batchValidatedAt()).isEqualTo(T0);
        assertThat(lifecycle.outstanding(T0.plus(Duration.ofMinutes(14)))).isEmpty();
        assertThat(lifecycle.outstanding(T0.plus(Duration.ofMinutes(15)))).extracting(LedgerBatch::batchRunId).containsExactly(first.runId());
        assertThat(conservation.check().violations()).isEmpty();

        // Attempt 2: one row passes, two fail again.
        Instant t2 = T0.plus(Duration.ofMinutes(16));
        RunValidated retry2 = validated(second.retryRunId(), t2, 3, 1, 2, 0, retryOf(second));
        RetryLifecycle.Handled afterSecond = lifecycle.onRunValidated(retry2);

        assertThat(afterSecond.retired().state()).isEqualTo(LedgerState.RETRIED);
        assertThat(afterSecond.retired().retiredBy().orElseThrow().retryRunId()).isEqualTo(retry2.runId());
        LedgerBatch again = afterSecond.pending().orElseThrow();
        assertThat(again.attemptCount()).isEqualTo(2);
        assertThat(again.nextAttemptDueAt()).isEqualTo(t2.plus(Duration.ofHours(1)));
        RetryDue third = lifecycle.retryDue(again);
        assertThat(third.attempt()).isEqualTo(3);
        assertThat(third.condemnOnFailure()).as("CondemnationPolicy: the third attempt is the last").isTrue();
        assertThat(third.retryRunId()).isNotEqualTo(second.retryRunId());

        // Attempt 3: both still fail and are condemned.
        Instant t3 = t2.plus(Duration.ofHours(1));
        RunValidated retry3 = validated(third.retryRunId(), t3, 2, 0, 0, 2, retryOf(third));
        lifecycle.onRunValidated(retry3);

        LedgerBatch condemned = ledger.batch(QuarantineLedger.CONDEMNED, retry3.runId()).orElseThrow();
        assertThat(condemned.state()).isEqualTo(LedgerState.CONDEMNED);
        assertThat(condemned.attemptCount()).isEqualTo(3);
        assertThat(ledger.batch(QuarantineLedger.BATCHES, retry2.runId()).orElseThrow().state()).isEqualTo(LedgerState.RETRIED);
        assertThat(lifecycle.outstanding(t3.plus(Duration.ofDays(1)))).isEmpty();

        LakeConservation.Report report = conservation.check();
        assertThat(report.violations()).isEmpty();
        assertThat(report.rowsEntered()).isEqualTo(10);
        assertThat(report.silver()).isEqualTo(8);
        assertThat(report.quarantinePending()).isZero();
        assertThat(report.condemned()).isEqualTo(2);
        assertThat(audit.list(new AuditTrail.Filter(null, AuditEntry.CONDEMNED, null, null, null), 10))
                .extracting(AuditEntry::batchRunId).containsExactly(retry3.runId());
        assertThat(audit.list(new AuditTrail.Filter(null, AuditEntry.RETRIED, null, null, null), 10)).hasSize(2);
    }

    @Test
    void handlingTheSameRunTwiceChangesNothing() {
        RunValidated first = validated(RunId.newRun(T0).value(), T0, 5, 4, 1, 0, null);
        lifecycle.onRunValidated(first);
        RetryDue due = lifecycle.retryDue(ledger.batch(QuarantineLedger.BATCHES, first.runId()).orElseThrow());
        RunValidated retry = validated(due.retryRunId(), T0.plusSeconds(900), 1, 1, 0, 0, retryOf(due));

        lifecycle.onRunValidated(retry);
        int auditEntries = audit.list(AuditTrail.Filter.ALL, 100).size();
        RetryLifecycle.Handled redelivered = lifecycle.onRunValidated(retry);
        RetryLifecycle.Handled firstAgain = lifecycle.onRunValidated(first);

        assertThat(redelivered.retired()).isNull();
        assertThat(firstAgain.pending()).isEmpty();
        assertThat(ledger.batch(QuarantineLedger.BATCHES, first.runId()).orElseThrow().transitions()).hasSize(1);
        assertThat(audit.list(AuditTrail.Filter.ALL, 100)).hasSize(auditEntries);
        assertThat(conservation.check().violations()).isEmpty();
    }

    @Test
    void theSameAttemptOfABatchAlwaysNamesTheSameRun() {
        String batch = RunId.newRun(T0).value();
        assertThat(RunId.forRetry(batch, RetryDue.BATCH_QUARANTINE, 2, T0)).isEqualTo(RunId.forRetry(batch, RetryDue.BATCH_QUARANTINE, 2, T0));
        assertThat(RunId.forRetry(batch, RetryDue.BATCH_QUARANTINE, 2, T0)).isNotEqualTo(RunId.forRetry(batch, RetryDue.BATCH_CONDEMNED, 2, T0));
        assertThat(RunId.forRetry(batch, RetryDue.BATCH_QUARANTINE, 2, T0)).isNotEqualTo(RunId.forRetry(batch, RetryDue.BATCH_QUARANTINE, 3, T0));
        assertThat(RunId.forRetry(batch, RetryDue.BATCH_QUARANTINE, 2, T0).isRetry()).isTrue();
    }

    @Test
    void theRequesterCanNeverApproveAndAnotherApproverReleasesCondemnedRows() {
        RunValidated run = validated(RunId.newRun(T0).value(), T0, 4, 2, 0, 2, null);
        lifecycle.onRunValidated(run);

        RequestView request = requests.request(OperatorRequest.REPROCESS, run.runId(), SAM, "the duplicates were a vendor resend; reprocess");
        assertThat(ledger.batch(QuarantineLedger.CONDEMNED, run.runId()).orElseThrow().state())
                .isEqualTo(LedgerState.REPROCESSING_REQUESTED);

        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> requests.approve(request.request().requestId(), SAM, "ok"))
                .isInstanceOf(FourEyesViolationException.class)
                .hasMessageContaining("sam filed request").hasMessageContaining("four-eyes");
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> requests.reject(request.request().requestId(), SAM, "no"))
                .isInstanceOf(FourEyesViolationException.class);
        assertThat(requests.find(request.request().requestId()).orElseThrow().state()).isEqualTo(RequestView.PENDING);
        assertThat(lifecycle.outstanding(T0.plus(Duration.ofDays(1)))).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        OperatorRequests.Approval approval = requests.approve(request.request().requestId(), RITA, "agreed");

        assertThat(approval.request().decision().decision()).isEqualTo(RequestDecision.APPROVED);
        assertThat(approval.batch().state()).isEqualTo(LedgerState.REPROCESSING_APPROVED);
        RetryDue due = lifecycle.retryDue(approval.batch());
        assertThat(due.reason()).isEqualTo(RetryDue.REASON_REPROCESS);
        assertThat(due.batchKind()).isEqualTo(RetryDue.BATCH_CONDEMNED);
        assertThat(due.attempt()).isEqualTo(2);
        assertThat(due.requestId()).isEqualTo(request.request().requestId());
        assertThat(due.quarantine()).isEqualTo(layoutCondemned(run));
        assertThat(lifecycle.outstanding(clock.instant())).hasSize(1);
        assertThatThrownBy(() -> requests.approve(request.request().requestId(), RITA, "again"))
                .isInstanceOf(RequestRefusedException.class).hasMessageContaining("already APPROVED by rita");

        RunValidated reprocessed = validated(due.retryRunId(), clock.instant().plusSeconds(2), 2, 0, 0, 2, retryOf(due));
        lifecycle.onRunValidated(reprocessed);
        assertThat(ledger.batch(QuarantineLedger.CONDEMNED, run.runId()).orElseThrow().state()).isEqualTo(LedgerState.REPROCESSED);
        assertThat(conservation.check().violations()).isEmpty();

        List<String> actions = audit.list(AuditTrail.Filter.ALL, 100).stream().map(AuditEntry::action).toList();
        assertThat(actions).contains(AuditEntry.REQUESTED, AuditEntry.DECISION_REFUSED, AuditEntry.APPROVED, AuditEntry.REPROCESSED);
        assertThat(audit.list(new AuditTrail.Filter("sam", null, null, null, null), 100))
                .extracting(AuditEntry::action).containsExactly(AuditEntry.REQUESTED, AuditEntry.DECISION_REFUSED, AuditEntry.DECISION_REFUSED);
    }

    @Test
    void requestsAreCheckedAgainstTheBatchState() {
        RunValidated run = validated(RunId.newRun(T0).value(), T0, 4, 2, 2, 0, null);
        lifecycle.onRunValidated(run);

        assertThatThrownBy(() -> requests.request(OperatorRequest.REPROCESS, run.runId(), QUINN, "why not"))
                .isInstanceOf(RequestRefusedException.class).hasMessageContaining("No condemned batch");
        assertThatThrownBy(() -> requests.request(OperatorRequest.RETRY_NOW, run.runId(), QUINN, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason");
        RequestView now = requests.request(OperatorRequest.RETRY_NOW, run.runId(), QUINN, "currency added to the allow-list");
        assertThatThrownBy(() -> requests.request(OperatorRequest.RETRY_NOW, run.runId(), QUINN, "again"))
                .isInstanceOf(RequestRefusedException.class).hasMessageContaining("already has request");

        OperatorRequests.Approval approval = requests.approve(now.request().requestId(), RITA, null);

        assertThat(approval.batch().nextAttemptDueAt()).isEqualTo(clock.instant());
        RetryDue due = lifecycle.retryDue(approval.batch());
        assertThat(due.reason()).isEqualTo(RetryDue.REASON_RETRY_NOW);
        assertThat(due.attempt()).isEqualTo(2);
        assertThat(due.retryRunId()).as("an immediate retry makes the scheduled attempt, not a second one")
                .isEqualTo(ledger.find(run.runId()).orElseThrow().nextRunId());
    }

    @Test
    void anExtraAttemptIsOnlyForRowsCondemnedForMaxAttemptsAndARejectionKeepsThemCondemned() {
        RunValidated duplicates = validated(RunId.newRun(T0).value(), T0, 3, 2, 0, 1, null);
        lifecycle.onRunValidated(duplicates);

        assertThatThrownBy(() -> requests.request(OperatorRequest.EXTRA_ATTEMPT, duplicates.runId(), QUINN, "try again"))
                .isInstanceOf(RequestRefusedException.class).hasMessageContaining("MAX_ATTEMPTS");

        RequestView reprocess = requests.request(OperatorRequest.REPROCESS, duplicates.runId(), QUINN, "check");
        RequestView rejected = requests.reject(reprocess.request().requestId(), RITA, "they are real duplicates");

        assertThat(rejected.state()).isEqualTo(RequestDecision.REJECTED);
        assertThat(ledger.batch(QuarantineLedger.CONDEMNED, duplicates.runId()).orElseThrow().state()).isEqualTo(LedgerState.CONDEMNED);
        assertThat(requests.list(RequestView.PENDING)).isEmpty();
        assertThat(requests.list(RequestDecision.REJECTED)).hasSize(1);
        assertThat(lifecycle.outstanding(T0.plus(Duration.ofDays(1)))).isEmpty();
        assertThat(conservation.check().violations()).isEmpty();
    }

    @Test
    void stepsTheStateMachineForbidsAreRefusedWithTheSameMessagesAndChangeNothing() {
        RunValidated run = validated(RunId.newRun(T0).value(), T0, 4, 2, 0, 2, null);
        lifecycle.onRunValidated(run);
        RequestView request = requests.request(OperatorRequest.REPROCESS, run.runId(), QUINN, "vendor resend");
        clock.advance(Duration.ofSeconds(1));
        // an approval whose decision was never written (the writer stopped after the ledger step)
        LedgerBatch requested = ledger.batch(QuarantineLedger.CONDEMNED, run.runId()).orElseThrow();
        ledger.append(requested, new LedgerTransition(0, clock.instant(), LedgerState.REPROCESSING_APPROVED, requested.attemptCount(),
                clock.instant(), RunId.forRetry(run.runId(), RetryDue.BATCH_CONDEMNED, 2, clock.instant()).value(),
                RetryDue.REASON_REPROCESS, "rita", request.request().requestId(), null, null, "approved, decision not yet written"));

        assertThatThrownBy(() -> requests.reject(request.request().requestId(), SAM, "no"))
                .isInstanceOf(IllegalLedgerTransitionException.class)
                .hasMessageStartingWith("Batch " + run.runId() + " is REPROCESSING_APPROVED and cannot become CONDEMNED");
        assertThat(ledger.batch(QuarantineLedger.CONDEMNED, run.runId()).orElseThrow().state()).isEqualTo(LedgerState.REPROCESSING_APPROVED);
        assertThatThrownBy(() -> requests.request(OperatorRequest.REPROCESS, run.runId(), QUINN, "again"))
                .isInstanceOf(RequestRefusedException.class).hasMessageContaining("already has request");
        OperatorRequests.Approval completed = requests.approve(request.request().requestId(), SAM, "completes the approval");
        assertThat(completed.batch().transitions()).hasSize(2);

        RunValidated rows = validated(RunId.newRun(T0.plusSeconds(5)).value(), T0.plusSeconds(5), 4, 2, 2, 0, null);
        lifecycle.onRunValidated(rows);
        RequestView now = requests.request(OperatorRequest.RETRY_NOW, rows.runId(), QUINN, "allow-list fixed");
        RetryDue due = lifecycle.retryDue(ledger.batch(QuarantineLedger.BATCHES, rows.runId()).orElseThrow());
        lifecycle.onRunValidated(validated(due.retryRunId(), clock.instant(), 2, 2, 0, 0, retryOf(due)));

        assertThatThrownBy(() -> requests.approve(now.request().requestId(), RITA, null))
                .isInstanceOf(RequestRefusedException.class).hasMessage("Batch " + rows.runId() + " is RETRIED now; nothing to retry");
        assertThat(ledger.batch(QuarantineLedger.BATCHES, rows.runId()).orElseThrow().state()).isEqualTo(LedgerState.RETRIED);
    }

    @Test
    void conservationNamesWhatIsWrong() {
        RunValidated first = validated(RunId.newRun(T0).value(), T0, 5, 4, 1, 0, null);
        assertThat(conservation.check().violations()).singleElement().asString().contains("have no ledger batch");
        lifecycle.onRunValidated(first);
        RetryDue due = lifecycle.retryDue(ledger.batch(QuarantineLedger.BATCHES, first.runId()).orElseThrow());

        validated(due.retryRunId(), T0.plusSeconds(900), 2, 2, 0, 0, retryOf(due));

        assertThat(conservation.check().violations())
                .anyMatch(v -> v.contains("read 2 row(s) of batch QUARANTINE/" + first.runId() + ", which holds 1"))
                .anyMatch(v -> v.contains("but the ledger says PENDING_RETRY"))
                .anyMatch(v -> v.contains("rows entered 5 != Silver 6"));
    }

    // ---- fixtures ------------------------------------------------------------------------------------

    /** Writes a run's validation record as validation-service would, and returns the run. */
    private RunValidated validated(String runId, Instant at, long read, long silver, long quarantined, long condemned,
                                   RunValidated.RetryOf retry) {
        RunId id = RunId.of(runId);
        RunValidated run = new RunValidated(runId, LakeLayout.DATASET_PATH, "v1", retry == null ? "INGEST" : RunValidated.KIND_RETRY,
                INGEST, new Location("bronze", "bronze/x/" + runId + "/f.csv"), "00", RunValidated.OUTCOME_VALIDATED,
                new RunValidated.Counts(read, silver, quarantined, condemned), List.of(),
                quarantined == 0 ? null : new RunValidated.QuarantineBatch(layout.invalidRows(INGEST, id), quarantined,
                        Map.of("CURRENCY_NOT_ALLOWED", quarantined)),
                null, null, List.of(), at,
                condemned == 0 ? null : new RunValidated.CondemnedBatch(layout.condemnedRows(INGEST, id), condemned,
                        Map.of(retry != null && retry.attempt() >= 3 ? "MAX_ATTEMPTS" : "DUPLICATE_EXACT", condemned)),
                retry);
        try {
            store.create(layout.validationRecord(id), EventCodec.mapper().writeValueAsBytes(run), "application/json");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return run;
    }

    private static RunValidated.RetryOf retryOf(RetryDue due) {
        return new RunValidated.RetryOf(due.batchRunId(), due.batchKind(), due.quarantine(), due.attempt(), due.reason(), due.requestId(), null);
    }

    private Location layoutCondemned(RunValidated run) {
        return layout.condemnedRows(INGEST, RunId.of(run.runId()));
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
