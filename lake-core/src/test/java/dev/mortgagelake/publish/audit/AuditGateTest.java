package dev.mortgagelake.publish.audit;

import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.publish.check.CheckCode;
import dev.mortgagelake.publish.check.CheckFailure;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.publish.table.TableOperation;
import dev.mortgagelake.publish.table.TableSnapshot;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class AuditGateTest {

    private static final AuditGate GATE = new AuditGate(AuditPolicy.DEFAULT);

    private static RunValidated run(String runId, long silver, long quarantined, RunValidated.Drift drift) {
        return new RunValidated(runId, "mortgages/transactions", "v1", runId.endsWith("_RETRY") ? "RETRY" : "INGEST", null, null,
                null, RunValidated.OUTCOME_VALIDATED, new RunValidated.Counts(silver + quarantined, silver, quarantined, 0), List.of(),
                null, null, drift, List.of(), Instant.EPOCH);
    }

    /** A table holding one file per run with these rows; run ids sort in the given order. */
    private static TableSnapshot tableWithRuns(long... rows) {
        List<DataFile> files = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            String runId = String.format("20260101T0000000%02dZ-0000000%d", i, i % 10);
            files.add(new DataFile("silver/x/run_id=" + runId + "/part-00000.parquet", runId, rows[i], 10, "0".repeat(64)));
        }
        return new TableSnapshot(1, 1, null, Instant.EPOCH, "c", TableOperation.APPEND, List.of(), null,
                new TreeMap<>(Map.of("2026-01", files)), null, null);
    }

    private static List<CheckCode> codes(List<CheckFailure> failures) {
        return failures.stream().map(CheckFailure::code).toList();
    }

    @Test
    void theQuarantineRateMayReachButNotExceedTheThreshold() {
        assertThat(GATE.check(run("20260121T120000000Z-00000001", 95, 5, null), TableSnapshot.empty())).isEmpty();
        assertThat(codes(GATE.check(run("20260121T120000000Z-00000001", 94, 6, null), TableSnapshot.empty())))
                .containsExactly(CheckCode.QUARANTINE_RATE_ABOVE_THRESHOLD);
        AuditGate lenient = new AuditGate(new AuditPolicy(new BigDecimal("0.10"), 4, 10, 3, true));
        assertThat(lenient.check(run("20260121T120000000Z-00000001", 94, 6, null), TableSnapshot.empty())).isEmpty();
    }

    @Test
    void rowCountsOutsideAQuarterToFourTimesTheMedianOfRecentRunsAreHeld() {
        TableSnapshot table = tableWithRuns(100, 90, 110);
        assertThat(GATE.check(run("20260121T120000000Z-00000001", 25, 0, null), table)).isEmpty();
        assertThat(GATE.check(run("20260121T120000000Z-00000001", 400, 0, null), table)).isEmpty();
        assertThat(codes(GATE.check(run("20260121T120000000Z-00000001", 24, 0, null), table))).containsExactly(CheckCode.ROW_COUNT_ANOMALY);
        assertThat(codes(GATE.check(run("20260121T120000000Z-00000001", 401, 0, null), table))).containsExactly(CheckCode.ROW_COUNT_ANOMALY);
    }

    @Test
    void theRowCountCheckNeedsThreeRecentRunsAndUsesTheLastTen() {
        assertThat(GATE.check(run("20260121T120000000Z-00000001", 1, 0, null), tableWithRuns(100, 100))).isEmpty();
        // 10 recent runs of 1000 rows after 5 old ones of 1 row: the old ones are not in the window.
        TableSnapshot table = tableWithRuns(1, 1, 1, 1, 1, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000);
        assertThat(codes(GATE.check(run("20260121T120000000Z-00000001", 10, 0, null), table))).containsExactly(CheckCode.ROW_COUNT_ANOMALY);
    }

    @Test
    void retryRunsAreNeitherCheckedNorCountedForRowCounts() {
        assertThat(GATE.check(run("20260121T120000000Z-00000001_RETRY", 1, 0, null), tableWithRuns(100, 100, 100))).isEmpty();
    }

    @Test
    void retryRunsAreNotHeldForRowsThatFailAgain() {
        assertThat(GATE.check(run("20260121T120000000Z-00000001_RETRY", 1, 2, null), TableSnapshot.empty())).isEmpty();
        assertThat(codes(GATE.check(run("20260121T120000000Z-00000001", 1, 2, null), TableSnapshot.empty())))
                .containsExactly(CheckCode.QUARANTINE_RATE_ABOVE_THRESHOLD);
    }

    @Test
    void unknownOrMissingColumnsAreDrift() {
        RunValidated drifted = run("20260121T120000000Z-00000001", 100, 0, new RunValidated.Drift(List.of("Branch"), List.of()));
        assertThat(codes(GATE.check(drifted, TableSnapshot.empty()))).containsExactly(CheckCode.SCHEMA_DRIFT);
        assertThat(CheckCode.SCHEMA_DRIFT.approvable()).isTrue();
        assertThat(CheckCode.FILE_CHECKSUM_MISMATCH.approvable()).isFalse();
        assertThat(new AuditGate(AuditPolicy.DISABLED).check(drifted, TableSnapshot.empty())).isEmpty();
    }
}
