package dev.mortgagelake.retry;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventFixtures;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.storage.FileSystemObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ledger's state machine, pair by pair: the legal steps are written out here independently of
 * {@link LedgerState}, and every one of the 49 (from, to) pairs is checked against them.
 */
class LedgerStateTest {

    /** What retry-service does: RetryLifecycle (retire), OperatorRequests (request, approve, reject). */
    private static final Set<String> LEGAL = Set.of(
            "PENDING_RETRY -> PENDING_RETRY",                  // an approved RETRY_NOW: the attempt is due now
            "PENDING_RETRY -> RETRIED",                        // the retry run was validated
            "CONDEMNED -> REPROCESSING_REQUESTED",             // EXTRA_ATTEMPT or REPROCESS requested
            "REPROCESSING_REQUESTED -> REPROCESSING_APPROVED", // approved by another person
            "REPROCESSING_REQUESTED -> CONDEMNED",             // rejected
            "REPROCESSING_APPROVED -> REPROCESSED");           // the approved run was validated

    private static final String BATCH = "20260302T100000Z_0123456789abcdef";

    @TempDir
    Path root;

    static Stream<Arguments> everyPair() {
        List<Arguments> pairs = new ArrayList<>();
        for (LedgerState from : LedgerState.values()) {
            for (LedgerState to : LedgerState.values()) {
                pairs.add(Arguments.of(from, to));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void everyPairIsLegalExactlyWhenTheLifecycleTakesIt(LedgerState from, LedgerState to) {
        boolean legal = LEGAL.contains(from + " -> " + to);

        assertThat(from.canTransitionTo(to)).isEqualTo(legal);
        if (legal) {
            assertThatCode(() -> from.requireTransitionTo(to, BATCH)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> from.requireTransitionTo(to, BATCH))
                    .isInstanceOfSatisfying(IllegalLedgerTransitionException.class, e -> {
                        assertThat(e.batchRunId()).isEqualTo(BATCH);
                        assertThat(e.from()).isEqualTo(from);
                        assertThat(e.to()).isEqualTo(to);
                        assertThat(e.code()).isEqualTo("ILLEGAL_TRANSITION");
                        assertThat(e.refusalKind()).isEqualTo(dev.mortgagelake.refusal.RefusalException.Kind.CONFLICT);
                    })
                    .hasMessageStartingWith("Batch " + BATCH + " is " + from + " and cannot become " + to);
        }
    }

    @Test
    void terminalStatesHaveNoWayOutAndAwaitingReviewHasNoneInTheLedger() {
        assertThat(Arrays.stream(LedgerState.values()).filter(LedgerState::terminal))
                .containsExactlyInAnyOrder(LedgerState.RETRIED, LedgerState.REPROCESSED);
        assertThat(LedgerState.RETRIED.next()).isEmpty();
        assertThat(LedgerState.REPROCESSED.next()).isEmpty();
        assertThat(LedgerState.AWAITING_REVIEW.next()).isEmpty();
        assertThat(LedgerState.AWAITING_REVIEW.terminal()).as("its file is still waiting for a person").isFalse();
        assertThatThrownBy(() -> LedgerState.RETRIED.requireTransitionTo(LedgerState.PENDING_RETRY, BATCH))
                .hasMessageContaining("nothing follows RETRIED");
        assertThatThrownBy(() -> LedgerState.PENDING_RETRY.requireTransitionTo(LedgerState.REPROCESSED, BATCH))
                .hasMessageContaining("from PENDING_RETRY only [PENDING_RETRY, RETRIED]");
    }

    @Test
    void eachKindOpensInItsInitialStateAndAnAttemptIsOutstandingOnlyWhenScheduledOrApproved() {
        assertThat(LedgerState.openingFor(LedgerEntry.KIND_ROWS)).isEqualTo(LedgerState.PENDING_RETRY);
        assertThat(LedgerState.openingFor(LedgerEntry.KIND_FILE)).isEqualTo(LedgerState.AWAITING_REVIEW);
        assertThat(LedgerState.openingFor(LedgerEntry.KIND_CONDEMNED_ROWS)).isEqualTo(LedgerState.CONDEMNED);
        assertThatThrownBy(() -> LedgerState.openingFor("BOTH")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Arrays.stream(LedgerState.values()).filter(LedgerState::attemptOutstanding))
                .containsExactlyInAnyOrder(LedgerState.PENDING_RETRY, LedgerState.REPROCESSING_APPROVED);
    }

    @Test
    void theLedgerRefusesAnIllegalStepAndWritesNothing() {
        QuarantineLedger ledger = new QuarantineLedger(new FileSystemObjectStore(root),
                new LakeLayout(new LakeBuckets("landing", "bronze", "silver", "gold", "quarantine")),
                new BackoffSchedule(List.of(Duration.ofMinutes(15))));
        RunValidated run = EventFixtures.<RunValidated>decoded(EventType.RUN_VALIDATED).data();
        ledger.record(run);
        LedgerBatch pending = ledger.batch(QuarantineLedger.BATCHES, run.runId()).orElseThrow();

        assertThatThrownBy(() -> ledger.append(pending, step(LedgerState.REPROCESSING_APPROVED)))
                .isInstanceOf(IllegalLedgerTransitionException.class)
                .hasMessageStartingWith("Batch " + run.runId() + " is PENDING_RETRY and cannot become REPROCESSING_APPROVED");
        assertThat(ledger.batch(QuarantineLedger.BATCHES, run.runId()).orElseThrow().transitions()).isEmpty();

        LedgerBatch retried = ledger.append(pending, step(LedgerState.RETRIED));
        assertThat(retried.state()).isEqualTo(LedgerState.RETRIED);
        assertThatThrownBy(() -> ledger.append(retried, step(LedgerState.RETRIED)))
                .isInstanceOf(IllegalLedgerTransitionException.class).hasMessageContaining("nothing follows RETRIED");
        assertThat(ledger.batch(QuarantineLedger.BATCHES, run.runId()).orElseThrow().transitions()).hasSize(1);
    }

    @Test
    void ledgerDocumentsKeepTheirStateStringsByteForByte() throws Exception {
        String entry = "{\"batch_run_id\":\"" + BATCH + "\",\"dataset\":\"mortgages/transactions\",\"ingest_date\":\"2026-03-02\","
                + "\"kind\":\"CONDEMNED_ROWS\",\"quarantine\":{\"bucket\":\"quarantine\",\"key\":\"k/condemned_rows.parquet\"},"
                + "\"rows\":2,\"error_counts\":{\"MAX_ATTEMPTS\":2},\"state\":\"CONDEMNED\",\"attempt_count\":3,"
                + "\"next_attempt_due_at\":null,\"history\":[{\"at\":\"2026-03-02T10:00:00Z\",\"state\":\"CONDEMNED\",\"attempt\":3,"
                + "\"note\":\"2 row(s) condemned\"}],\"created_at\":\"2026-03-02T10:00:00Z\",\"next_run_id\":null}";
        String step = "{\"sequence\":1,\"at\":\"2026-03-02T11:00:00Z\",\"state\":\"REPROCESSING_REQUESTED\",\"attempt\":3,"
                + "\"next_attempt_due_at\":null,\"next_run_id\":null,\"attempt_reason\":null,\"actor\":\"quinn\","
                + "\"request_id\":\"r-1\",\"retry_run_id\":null,\"outcome\":{},\"note\":\"REPROCESS requested by quinn: why\"}";

        LedgerEntry read = EventCodec.mapper().readValue(entry, LedgerEntry.class);
        LedgerTransition readStep = EventCodec.mapper().readValue(step, LedgerTransition.class);

        assertThat(read.state()).isEqualTo(LedgerState.CONDEMNED);
        assertThat(read.history().get(0).state()).isEqualTo(LedgerState.CONDEMNED);
        assertThat(readStep.state()).isEqualTo(LedgerState.REPROCESSING_REQUESTED);
        assertThat(new String(EventCodec.mapper().writeValueAsBytes(read), StandardCharsets.UTF_8)).isEqualTo(entry);
        assertThat(new String(EventCodec.mapper().writeValueAsBytes(readStep), StandardCharsets.UTF_8)).isEqualTo(step);
        assertThat(new LedgerBatch(read, List.of(readStep)).state()).isEqualTo(LedgerState.REPROCESSING_REQUESTED);
    }

    private static LedgerTransition step(LedgerState state) {
        return new LedgerTransition(0, Instant.parse("2026-03-02T12:00:00Z"), state, 2, null, null, null, "retry-service", null,
                RunId.newRun(Instant.parse("2026-03-02T12:00:00Z")).value(), Map.of(), "test step");
    }
}
