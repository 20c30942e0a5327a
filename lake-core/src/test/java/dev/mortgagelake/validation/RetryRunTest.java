package dev.mortgagelake.validation;

import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.InvalidEventException;
import dev.mortgagelake.event.RetryDue;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.manifest.PartitionManifest;
import dev.mortgagelake.publish.RunPromotion;
import dev.mortgagelake.publish.table.CommitPolicy;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.validation.contract.CommonIsoCurrencies;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.mortgagelake.validation.RunValidatorTest.HEADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

/** Retry runs: a quarantined (or condemned) batch re-validated with the current rules and reference data. */
class RetryRunTest {

    private static final CommitPolicy FAST = new CommitPolicy(16, Duration.ofMillis(1), Duration.ofMillis(20), 3);
    private static final Instant FIRST_RETRY_AT = TestLake.NOW.plus(Duration.ofHours(1));
    private static final Instant SECOND_RETRY_AT = TestLake.NOW.plus(Duration.ofHours(7));

    /** Unknown at first; the quality team adds it to the reference data between attempts. */
    private static final String NEW_CURRENCY = "QQQ";
    private static final String ROW_NEW_CURRENCY = "T2,C2,20.00," + NEW_CURRENCY + ",2024-02-01T10:00:00Z";
    private static final String ROW_BAD_AMOUNT = "T3,C3,12.3.4,EUR,2024-03-01T10:00:00Z";
    private static final String ROW_TOO_SHORT = "T4,C4,30.00";

    @TempDir
    Path tempDir;

    private TestLake lake;
    private final Set<String> extraCurrencies = ConcurrentHashMap.newKeySet();
    private final AtomicInteger allowListRequests = new AtomicInteger();
    private final AtomicInteger retryRuns = new AtomicInteger();

    @BeforeEach
    void setUp() {
        lake = new TestLake(tempDir);
    }

    private RunValidator validator(Instant now) {
        return new RunValidator(lake.store, lake.layout, Clock.fixed(now, ZoneOffset.UTC), () -> {
            allowListRequests.incrementAndGet();
            Set<String> extra = Set.copyOf(extraCurrencies);
            return code -> CommonIsoCurrencies.instance().allows(code) || extra.contains(code);
        }, lake.workDir, ValidationConfig.DEFAULT);
    }

    private RunValidated validate(String... rows) {
        byte[] bytes = (HEADER + "\n" + String.join("\n", rows) + "\n").getBytes(StandardCharsets.UTF_8);
        FileLanded landed = lake.land("t.csv", bytes);
        landed = new FileLanded(landed.runId(), landed.dataset(), landed.schemaVersion(), landed.runKind(), landed.ingestDate(),
                landed.source(), landed.bronze(), landed.sha256(), landed.sizeBytes(), landed.landedAt(), List.of());
        return validator(TestLake.NOW).validate(landed);
    }

    /** The retry-due retry-service would emit for the quarantine batch of {@code batch}. */
    private RetryDue dueFor(RunValidated batch, boolean condemnOnFailure) {
        RunId retryRunId = RunId.of(String.format("20260121T13%07dZ-0000beef_RETRY", retryRuns.getAndIncrement()));
        return new RetryDue(batch.runId(), batch.dataset(), batch.ingestDate(), batch.quarantine().location(), batch.attempt() + 1,
                batch.validatedAt(), RetryDue.REASON_SCHEDULED, retryRunId.value(), RetryDue.BATCH_QUARANTINE, batch.validatedAt(),
                condemnOnFailure, null);
    }

    private RunValidated retry(RetryDue due, Instant at) {
        RunValidated run = validator(at).retry(due);
        assertThat(run.counts().balanced()).as("rows in = rows out").isTrue();
        return run;
    }

    private List<Map<String, Object>> lineage(Location file) {
        return lake.query("SELECT transaction_id, currency, source_line, run_id, attempt_count, array_to_string(error_codes, '|') AS codes,"
                + " validation_error, len(retry_history) AS attempts, retry_history[1].attempt AS a1, retry_history[1].run_id AS r1,"
                + " array_to_string(retry_history[1].error_codes, '|') AS c1, retry_history[1].validation_error AS e1,"
                + " CAST(epoch_ms(retry_history[1].attempted_at) AS BIGINT) AS t1, retry_history[2].attempt AS a2,"
                + " retry_history[2].run_id AS r2, array_to_string(retry_history[2].error_codes, '|') AS c2,"
                + " CAST(epoch_ms(retry_history[2].attempted_at) AS BIGINT) AS t2, raw_record"
                + " FROM read_parquet(?) ORDER BY source_line", file);
    }

    @Test
    void rowsWithACurrencyAddedSinceGoToSilverAsARetryRunAndTheRestIsQuarantinedAgain() {
        RunValidated batch = validate("T1,C1,10.00,EUR,2024-01-01T10:00:00Z", ROW_NEW_CURRENCY, ROW_BAD_AMOUNT, ROW_TOO_SHORT);
        assertThat(batch.counts()).isEqualTo(new RunValidated.Counts(4, 1, 3, 0));
        Map<String, Object> firstFailure = lineage(batch.quarantine().location()).get(0);
        extraCurrencies.add(NEW_CURRENCY);
        allowListRequests.set(0);
        RetryDue due = dueFor(batch, false);

        RunValidated run = retry(due, FIRST_RETRY_AT);

        assertThat(allowListRequests).as("the allow-list is asked once per run").hasValue(1);
        assertThat(run.runId()).isEqualTo(due.retryRunId());
        assertThat(run.runKind()).isEqualTo(RunValidated.KIND_RETRY);
        assertThat(run.ingestDate()).isEqualTo(batch.ingestDate());
        assertThat(run.bronze()).isEqualTo(batch.quarantine().location());
        assertThat(run.inputSha256()).isEqualTo(TestLake.sha256(lake.store.read(batch.quarantine().location())));
        assertThat(run.counts()).isEqualTo(new RunValidated.Counts(3, 1, 2, 0));
        assertThat(run.attempt()).isEqualTo(2);
        RunId retryRunId = RunId.of(due.retryRunId());
        assertThat(run.retry()).isEqualTo(new RunValidated.RetryOf(batch.runId(), RetryDue.BATCH_QUARANTINE,
                batch.quarantine().location(), 2, RetryDue.REASON_SCHEDULED, null,
                lake.layout.retriedRows(batch.ingestDate(), retryRunId)));

        // Silver: the row with its values, written by the retry run, with its Bronze line.
        assertThat(run.partitions()).extracting(RunValidated.Partition::yearMonth).containsExactly("2024-02");
        PartitionManifest manifest = PartitionManifest.fromJson(lake.store.read(run.partitions().get(0).manifest()));
        assertThat(manifest.runKind()).isEqualTo(RunValidated.KIND_RETRY);
        assertThat(manifest.input().bronze()).isEqualTo(batch.quarantine().location());
        Location part = new Location(TestLake.BUCKET, manifest.files().get(0).key());
        assertThat(lake.query("SELECT transaction_id, customer_id, transaction_amount, currency, transaction_timestamp = "
                + "TIMESTAMPTZ '2024-02-01 10:00:00+00' AS ts, run_id, source_line FROM read_parquet(?)", part))
                .extracting(r -> r.get("transaction_id"), r -> r.get("customer_id"), r -> r.get("transaction_amount"),
                        r -> r.get("currency"), r -> r.get("ts"), r -> r.get("run_id"), r -> r.get("source_line"))
                .containsExactly(tuple("T2", "C2", new BigDecimal("20.00"), NEW_CURRENCY, true, run.runId(), 3L));
        assertThat(lake.store.head(lake.layout.silverSuccess(java.time.YearMonth.of(2024, 2), "v1", retryRunId))).isPresent();

        // Lineage of the row that passed: its last failure, attempt 2, the batch's attempt in its history.
        List<Map<String, Object>> retried = lineage(run.retry().retriedRows());
        assertThat(retried).hasSize(1);
        Map<String, Object> t2 = retried.get(0);
        assertThat(t2).containsEntry("transaction_id", "T2").containsEntry("source_line", 3L).containsEntry("run_id", run.runId())
                .containsEntry("attempt_count", 2).containsEntry("codes", "CURRENCY_NOT_ALLOWED").containsEntry("attempts", 1L)
                .containsEntry("a1", 1).containsEntry("r1", batch.runId()).containsEntry("c1", "CURRENCY_NOT_ALLOWED")
                .containsEntry("t1", TestLake.NOW.toEpochMilli()).containsEntry("raw_record", ROW_NEW_CURRENCY);
        assertThat(t2.get("e1")).isEqualTo(firstFailure.get("validation_error"));

        // Still invalid: the next batch, attempt 2, history extended; the structural row fails with the same message.
        assertThat(run.quarantine().location()).isEqualTo(lake.layout.invalidRows(batch.ingestDate(), retryRunId));
        assertThat(run.quarantine().errorCounts()).containsExactly(entry("AMOUNT_FORMAT", 1L), entry("FIELD_COUNT", 1L));
        List<Map<String, Object>> again = lineage(run.quarantine().location());
        List<Map<String, Object>> before = lineage(batch.quarantine().location());
        assertThat(again).extracting(r -> r.get("transaction_id"), r -> r.get("run_id"), r -> r.get("attempt_count"),
                        r -> r.get("codes"), r -> r.get("a1"), r -> r.get("r1"), r -> r.get("c1"))
                .containsExactly(tuple("T3", run.runId(), 2, "AMOUNT_FORMAT", 1, batch.runId(), "AMOUNT_FORMAT"),
                        tuple("T4", run.runId(), 2, "FIELD_COUNT", 1, batch.runId(), "FIELD_COUNT"));
        assertThat(again.get(1).get("validation_error")).isEqualTo(before.get(2).get("validation_error"));
        assertThat(again.get(1).get("raw_record")).isEqualTo(ROW_TOO_SHORT);
        assertThat(lake.keysUnder("quarantine/")).noneMatch(k -> k.contains("condemned"));
    }

    @Test
    void aRetryRunIsPromotedLikeAnyRunAndItsRowsThenCountAsPublished() {
        RunValidated batch = validate(ROW_NEW_CURRENCY);
        extraCurrencies.add(NEW_CURRENCY);
        RunValidated run = retry(dueFor(batch, false), FIRST_RETRY_AT);
        assertThat(run.counts()).isEqualTo(new RunValidated.Counts(1, 1, 0, 0));

        RunPromotion.Decision decision = new RunPromotion(lake.store, lake.layout, "v1", FAST, lake.clock).promote(run);

        assertThat(decision.isPromoted()).as("%s", decision.failures()).isTrue();
        RunValidated again = validate(ROW_NEW_CURRENCY);
        assertThat(again.counts()).isEqualTo(new RunValidated.Counts(1, 0, 0, 1));
    }

    @Test
    void rowsStillInvalidAtTheLastAttemptAreCondemnedWithTheirWholeHistory() {
        RunValidated batch = validate("T1,C1,10.00,EUR,2024-01-01T10:00:00Z", ROW_BAD_AMOUNT, ROW_TOO_SHORT, ROW_NEW_CURRENCY);
        RunValidated second = retry(dueFor(batch, false), FIRST_RETRY_AT);
        assertThat(second.counts()).isEqualTo(new RunValidated.Counts(3, 0, 3, 0));
        assertThat(second.retry().retriedRows()).as("no row passed").isNull();
        extraCurrencies.add(NEW_CURRENCY);

        RetryDue third = dueFor(second, true);
        assertThat(third.attempt()).isEqualTo(3);
        RunValidated run = retry(third, SECOND_RETRY_AT);

        assertThat(run.counts()).isEqualTo(new RunValidated.Counts(3, 1, 0, 2));
        assertThat(run.quarantine()).isNull();
        assertThat(run.condemned().location()).isEqualTo(lake.layout.condemnedRows(batch.ingestDate(), RunId.of(run.runId())));
        assertThat(run.condemned().reasonCounts()).containsExactly(entry("MAX_ATTEMPTS", 2L));
        List<Map<String, Object>> condemned = lineage(run.condemned().location());
        assertThat(condemned).extracting(r -> r.get("transaction_id"), r -> r.get("attempt_count"), r -> r.get("codes"),
                        r -> r.get("attempts"), r -> r.get("a1"), r -> r.get("r1"), r -> r.get("t1"), r -> r.get("a2"),
                        r -> r.get("r2"), r -> r.get("t2"))
                .containsExactly(
                        tuple("T3", 3, "MAX_ATTEMPTS", 2L, 1, batch.runId(), TestLake.NOW.toEpochMilli(), 2, second.runId(),
                                FIRST_RETRY_AT.toEpochMilli()),
                        tuple("T4", 3, "MAX_ATTEMPTS", 2L, 1, batch.runId(), TestLake.NOW.toEpochMilli(), 2, second.runId(),
                                FIRST_RETRY_AT.toEpochMilli()));
        assertThat(condemned.get(0).get("validation_error").toString())
                .startsWith("MAX_ATTEMPTS: still invalid after 3 attempts; AMOUNT_FORMAT: ");
        assertThat(condemned.get(1).get("validation_error").toString())
                .startsWith("MAX_ATTEMPTS: still invalid after 3 attempts; FIELD_COUNT: ");
        assertThat(condemned.get(0).get("c2")).isEqualTo("AMOUNT_FORMAT");
        // The row that passed at the third attempt carries both earlier attempts.
        assertThat(lineage(run.retry().retriedRows())).extracting(r -> r.get("transaction_id"), r -> r.get("attempt_count"),
                        r -> r.get("attempts"), r -> r.get("r2"))
                .containsExactly(tuple("T2", 3, 2L, second.runId()));

        // An approved reprocessing of the condemned rows: values are checked again, the structural row
        // (its code now only in its history) fails with its original codes and message.
        RunId reprocessRunId = RunId.of("20260121T190000000Z-0000cafe_RETRY");
        RetryDue reprocess = new RetryDue(run.runId(), run.dataset(), run.ingestDate(), run.condemned().location(), 4,
                SECOND_RETRY_AT, RetryDue.REASON_REPROCESS, reprocessRunId.value(), RetryDue.BATCH_CONDEMNED, run.validatedAt(),
                false, "request-1");
        RunValidated reprocessed = retry(reprocess, SECOND_RETRY_AT.plus(Duration.ofHours(1)));

        assertThat(reprocessed.counts()).isEqualTo(new RunValidated.Counts(2, 0, 2, 0));
        assertThat(reprocessed.retry().batchKind()).isEqualTo(RetryDue.BATCH_CONDEMNED);
        assertThat(reprocessed.retry().requestId()).isEqualTo("request-1");
        List<Map<String, Object>> requarantined = lineage(reprocessed.quarantine().location());
        assertThat(requarantined).extracting(r -> r.get("transaction_id"), r -> r.get("attempt_count"), r -> r.get("codes"),
                        r -> r.get("attempts"))
                .containsExactly(tuple("T3", 4, "AMOUNT_FORMAT", 3L), tuple("T4", 4, "FIELD_COUNT", 3L));
        assertThat(requarantined.get(1).get("validation_error")).isEqualTo(lineage(batch.quarantine().location()).get(1)
                .get("validation_error"));
    }

    @Test
    void anExactDuplicateOfARowPublishedSinceIsCondemnedAtOnceAndAnIdConflictQuarantined() {
        RunValidated batch = validate(ROW_NEW_CURRENCY, "T5,C5,50.00," + NEW_CURRENCY + ",2024-05-01T10:00:00Z");
        extraCurrencies.add(NEW_CURRENCY);
        RunValidated published = validate(ROW_NEW_CURRENCY, "T5,C5,50.01," + NEW_CURRENCY + ",2024-05-01T10:00:00Z");
        assertThat(new RunPromotion(lake.store, lake.layout, "v1", FAST, lake.clock).promote(published).isPromoted()).isTrue();

        RunValidated run = retry(dueFor(batch, false), FIRST_RETRY_AT);

        assertThat(run.counts()).isEqualTo(new RunValidated.Counts(2, 0, 1, 1));
        assertThat(run.condemned().reasonCounts()).containsExactly(entry("DUPLICATE_EXACT", 1L));
        Map<String, Object> duplicate = lineage(run.condemned().location()).get(0);
        assertThat(duplicate).containsEntry("transaction_id", "T2").containsEntry("attempt_count", 2).containsEntry("r1", batch.runId());
        assertThat(duplicate.get("validation_error")).isEqualTo("DUPLICATE_EXACT: exact duplicate of a row published by run "
                + published.runId() + " (all business fields equal)");
        assertThat(run.quarantine().errorCounts()).containsExactly(entry("DUPLICATE_ID_CONFLICT", 1L));
        assertThat(run.retry().retriedRows()).isNull();
        assertThat(run.partitions()).isEmpty();
    }

    @Test
    void theSameRetryDueTwiceReturnsTheStoredRecordAndRewritesNothing() {
        RunValidated batch = validate(ROW_NEW_CURRENCY, ROW_BAD_AMOUNT);
        extraCurrencies.add(NEW_CURRENCY);
        RetryDue due = dueFor(batch, false);
        RunValidated first = retry(due, FIRST_RETRY_AT);
        Map<String, String> outputs = lake.outputs();

        RunValidated again = retry(due, SECOND_RETRY_AT);

        assertThat(again).isEqualTo(first);
        assertThat(lake.outputs()).isEqualTo(outputs);
        assertThat(lake.workDirIsEmpty()).isTrue();
    }

    @Test
    void aMalformedRetryDueIsRejectedWithAClearMessage() {
        RunValidated batch = validate(ROW_NEW_CURRENCY);
        RetryDue due = dueFor(batch, false);
        RunValidator validator = validator(FIRST_RETRY_AT);

        assertThatThrownBy(() -> validator.retry(null)).isInstanceOf(InvalidEventException.class)
                .hasMessage("retry-due payload is missing");
        assertThatThrownBy(() -> validator.retry(new RetryDue("nope", due.dataset(), due.ingestDate(), due.quarantine(),
                due.attempt(), due.dueAt(), due.reason(), due.retryRunId(), due.batchKind(), due.batchValidatedAt(), false, null)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("invalid batch_run_id").hasMessageContaining("'nope'");
        assertThatThrownBy(() -> validator.retry(new RetryDue(due.batchRunId(), due.dataset(), due.ingestDate(),
                due.quarantine(), due.attempt(), due.dueAt(), due.reason(), "20260121T130000000Z-0000beef", due.batchKind(),
                due.batchValidatedAt(), false, null)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("retry_run_id must end with _RETRY");
        assertThatThrownBy(() -> validator.retry(new RetryDue(due.batchRunId(), due.dataset(), due.ingestDate(),
                due.quarantine(), 1, due.dueAt(), due.reason(), due.retryRunId(), due.batchKind(), due.batchValidatedAt(), false, null)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("attempt is 1; a retry is attempt 2 or later");
        assertThatThrownBy(() -> validator.retry(new RetryDue(due.batchRunId(), due.dataset(), due.ingestDate(),
                null, due.attempt(), due.dueAt(), due.reason(), due.retryRunId(), due.batchKind(), due.batchValidatedAt(), false, null)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("lacks quarantine, ingest_date or batch_validated_at");
        assertThatThrownBy(() -> validator.retry(new RetryDue(due.batchRunId(), due.dataset(), due.ingestDate(),
                due.quarantine(), due.attempt(), due.dueAt(), due.reason(), due.retryRunId(), RetryDue.BATCH_CONDEMNED,
                due.batchValidatedAt(), false, null)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("names the batch file")
                .hasMessageContaining("condemned_rows.parquet");
        assertThatThrownBy(() -> validator.retry(new RetryDue(due.batchRunId(), due.dataset(), due.ingestDate(),
                due.quarantine(), 2, due.dueAt(), due.reason(), due.retryRunId(), due.batchKind(), due.batchValidatedAt(), true, null)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("condemns only after 3 attempts");
        RunId otherRun = RunId.of("20260121T120000999Z-0000dead");
        assertThatThrownBy(() -> validator.retry(new RetryDue(otherRun.value(), due.dataset(), due.ingestDate(),
                lake.layout.invalidRows(due.ingestDate(), otherRun), due.attempt(), due.dueAt(), due.reason(), due.retryRunId(),
                due.batchKind(), due.batchValidatedAt(), false, null)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("which does not exist");
        assertThat(lake.store.head(lake.layout.validationRecord(RunId.of(due.retryRunId())))).isEmpty();
        assertThat(lake.workDirIsEmpty()).isTrue();
    }
}
