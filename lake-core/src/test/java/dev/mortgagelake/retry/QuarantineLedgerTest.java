package dev.mortgagelake.retry;

import dev.mortgagelake.event.EventFixtures;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.storage.FileSystemObjectStore;
import dev.mortgagelake.storage.Location;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuarantineLedgerTest {

    @TempDir
    Path root;

    private QuarantineLedger ledger;
    private final RunValidated run = EventFixtures.<RunValidated>decoded(EventType.RUN_VALIDATED).data();

    @BeforeEach
    void setUp() {
        ledger = new QuarantineLedger(new FileSystemObjectStore(root),
                new LakeLayout(new LakeBuckets("landing", "bronze", "silver", "gold", "quarantine")),
                new BackoffSchedule(List.of(Duration.ofMinutes(15), Duration.ofHours(1))));
    }

    @Test
    void aQuarantineBatchIsOwnedPendingItsFirstRetryAtTheScheduledTime() {
        LedgerEntry entry = ledger.record(run).orElseThrow();

        assertThat(entry.batchRunId()).isEqualTo(run.runId());
        assertThat(entry.kind()).isEqualTo(LedgerEntry.KIND_ROWS);
        assertThat(entry.state()).isEqualTo(LedgerState.PENDING_RETRY);
        assertThat(entry.attemptCount()).isEqualTo(1);
        assertThat(entry.rows()).isEqualTo(4);
        assertThat(entry.nextAttemptDueAt()).isEqualTo(run.validatedAt().plus(Duration.ofMinutes(15)));
        assertThat(entry.history()).hasSize(1);
        assertThat(ledger.find(run.runId())).contains(entry);
    }

    @Test
    void recordingTheSameRunTwiceKeepsOneUnchangedEntry() {
        LedgerEntry first = ledger.record(run).orElseThrow();
        RunValidated redelivered = new RunValidated(run.runId(), run.dataset(), run.schemaVersion(), run.runKind(),
                run.ingestDate(), run.bronze(), run.inputSha256(), run.outcome(), run.counts(), run.partitions(),
                run.quarantine(), null, run.drift(), run.supersedes(), run.validatedAt().plusSeconds(99));

        LedgerEntry second = ledger.record(redelivered).orElseThrow();

        assertThat(second).isEqualTo(first);
        assertThat(ledger.batches()).hasSize(1);
    }

    @Test
    void aRunWithoutQuarantinedRowsNeedsNoEntry() {
        RunValidated clean = new RunValidated(run.runId(), run.dataset(), run.schemaVersion(), run.runKind(),
                run.ingestDate(), run.bronze(), run.inputSha256(), run.outcome(),
                new RunValidated.Counts(96, 96, 0, 0), run.partitions(), null, null, null, List.of(), run.validatedAt());

        assertThat(ledger.record(clean)).isEmpty();
        assertThat(ledger.batches()).isEmpty();
    }

    @Test
    void aFileRejectionAwaitsReview() {
        RunValidated rejected = new RunValidated(run.runId(), run.dataset(), run.schemaVersion(), run.runKind(),
                run.ingestDate(), run.bronze(), run.inputSha256(), RunValidated.OUTCOME_FILE_REJECTED,
                new RunValidated.Counts(0, 0, 0, 0), List.of(), null,
                new RunValidated.FileRejection("GZIP_CORRUPT", "Not a readable gzip stream",
                        new Location("quarantine", "quarantine/x/file_rejection.json")),
                null, List.of(), run.validatedAt());

        LedgerEntry entry = ledger.record(rejected).orElseThrow();

        assertThat(entry.kind()).isEqualTo(LedgerEntry.KIND_FILE);
        assertThat(entry.state()).isEqualTo(LedgerState.AWAITING_REVIEW);
        assertThat(entry.nextAttemptDueAt()).isNull();
        assertThat(entry.errorCounts()).isEqualTo(Map.of("GZIP_CORRUPT", 1L));
    }

    @Test
    void theBackoffScheduleRepeatsItsLastDelayAndRejectsNonsense() {
        BackoffSchedule schedule = new BackoffSchedule(List.of(Duration.ofSeconds(1), Duration.ofSeconds(5)));

        assertThat(schedule.delayBefore(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(schedule.delayBefore(3)).isEqualTo(Duration.ofSeconds(5));
        assertThat(schedule.delayBefore(7)).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> schedule.delayBefore(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BackoffSchedule(List.of(Duration.ZERO))).isInstanceOf(IllegalArgumentException.class);
        assertThat(BackoffSchedule.productionDefault().delayBefore(2)).isEqualTo(Duration.ofMinutes(15));
    }
}
