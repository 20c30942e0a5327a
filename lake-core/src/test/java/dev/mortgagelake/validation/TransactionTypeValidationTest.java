package dev.mortgagelake.validation;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.RetryDue;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.validation.contract.CommonIsoCurrencies;
import dev.mortgagelake.validation.contract.StandardTransactionTypes;
import dev.mortgagelake.validation.contract.TransactionTypes;
import dev.mortgagelake.validation.reference.ReferenceDataException;
import dev.mortgagelake.validation.reference.TransactionTypeReference;
import dev.mortgagelake.validation.reference.TransactionTypesDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import static dev.mortgagelake.validation.RunValidatorTest.HEADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Contract v1.1: the optional {@code TransactionType} column, validated against the transaction-type
 * enumeration (reference data); absent means {@code UNKNOWN}, never a guessed type; a value off the
 * enumeration is quarantined ({@code TRANSACTION_TYPE_UNKNOWN_VALUE}) with its raw value and counted as
 * drift ({@code drift.new_enum_values}); a retry keeps the row's type.
 */
class TransactionTypeValidationTest {

    private static final String HEADER_WITH_TYPE = HEADER + ",TransactionType";

    @TempDir
    Path tempDir;

    private RunValidated validate(TestLake lake, RunValidator validator, String header, String... rows) {
        byte[] bytes = (header + "\n" + String.join("\n", rows) + "\n").getBytes(StandardCharsets.UTF_8);
        FileLanded landed = lake.land("t.csv", bytes);
        landed = new FileLanded(landed.runId(), landed.dataset(), landed.schemaVersion(), landed.runKind(), landed.ingestDate(),
                landed.source(), landed.bronze(), landed.sha256(), landed.sizeBytes(), landed.landedAt(), List.of());
        return validator.validate(landed);
    }

    private static List<Map<String, Object>> silver(TestLake lake, RunValidated run, YearMonth month) {
        Location part = lake.layout.silverPart(month, "v1", RunId.of(run.runId()), 0);
        return lake.query("SELECT transaction_id, transaction_type FROM read_parquet(?, hive_partitioning = false)"
                + " ORDER BY source_line", part);
    }

    @Test
    void aFileWithoutTheTransactionTypeColumnValidatesAndItsRowsAreUnknown() {
        TestLake lake = new TestLake(tempDir);

        RunValidated run = validate(lake, lake.validator(), HEADER, "T1,C1,1.00,EUR,2024-01-01T00:00:00Z",
                "T2,C2,2.00,EUR,2024-01-02T00:00:00Z");

        assertThat(run.counts()).isEqualTo(new RunValidated.Counts(2, 2, 0, 0));
        assertThat(run.drift()).isEqualTo(RunValidated.Drift.NONE);
        assertThat(silver(lake, run, YearMonth.of(2024, 1))).extracting(r -> r.get("transaction_id"), r -> r.get("transaction_type"))
                .containsExactly(tuple("T1", "UNKNOWN"), tuple("T2", "UNKNOWN"));
    }

    @Test
    void knownTypesGoToSilverAndAValueOffTheEnumerationIsQuarantinedWithItsRawValueAndCountedAsDrift() {
        TestLake lake = new TestLake(tempDir);

        RunValidated run = validate(lake, lake.validator(), HEADER_WITH_TYPE,
                "T1,C1,1.00,EUR,2024-01-01T00:00:00Z,PAYMENT",
                "T2,C2,2.00,EUR,2024-01-02T00:00:00Z,DISBURSEMENT",
                "T3,C3,3.00,EUR,2024-01-03T00:00:00Z,",
                "T4,C4,4.00,EUR,2024-01-04T00:00:00Z,REFUND",
                "T5,C5,5.00,EUR,2024-01-05T00:00:00Z,REFUND",
                "T6,C6,6.00,EUR,2024-01-06T00:00:00Z,payment",
                "T7,C7,7.00,EUR,2024-01-07T00:00:00Z,REFUND",
                "T8,C8,8.00,XXX,2024-01-08T00:00:00Z,FEE");

        assertThat(run.counts()).isEqualTo(new RunValidated.Counts(8, 3, 5, 0));
        assertThat(run.drift().unknownColumns()).as("TransactionType is a contract column now").isEmpty();
        assertThat(run.drift().newEnumValues()).containsExactly(entry("transaction_type", Map.of("REFUND", 3L, "payment", 1L)));
        assertThat(run.quarantine().errorCounts()).containsOnly(entry("TRANSACTION_TYPE_UNKNOWN_VALUE", 4L),
                entry("CURRENCY_NOT_ALLOWED", 1L));
        assertThat(silver(lake, run, YearMonth.of(2024, 1))).extracting(r -> r.get("transaction_id"), r -> r.get("transaction_type"))
                .containsExactly(tuple("T1", "PAYMENT"), tuple("T2", "DISBURSEMENT"), tuple("T3", "UNKNOWN"));
        assertThat(lake.query("SELECT transaction_id, transaction_type, array_to_string(error_codes, '|') AS codes, validation_error"
                + " FROM read_parquet(?, hive_partitioning = false) ORDER BY source_line", run.quarantine().location()))
                .extracting(r -> r.get("transaction_id"), r -> r.get("transaction_type"), r -> r.get("codes"))
                .containsExactly(tuple("T4", "REFUND", "TRANSACTION_TYPE_UNKNOWN_VALUE"),
                        tuple("T5", "REFUND", "TRANSACTION_TYPE_UNKNOWN_VALUE"),
                        tuple("T6", "payment", "TRANSACTION_TYPE_UNKNOWN_VALUE"),
                        tuple("T7", "REFUND", "TRANSACTION_TYPE_UNKNOWN_VALUE"),
                        tuple("T8", "FEE", "CURRENCY_NOT_ALLOWED"));
        assertThat(lake.query("SELECT validation_error FROM read_parquet(?, hive_partitioning = false) WHERE transaction_id = 'T4'",
                run.quarantine().location())).singleElement().extracting(r -> r.get("validation_error"))
                .isEqualTo("TRANSACTION_TYPE_UNKNOWN_VALUE: TransactionType 'REFUND' is not on the transaction-type enumeration"
                        + " (a new enum value; matched exactly)");

        // The run-validated event carries the drift as an additive field.
        String json = EventCodec.mapper().valueToTree(run).toString();
        assertThat(json).contains("\"drift\":{\"unknown_columns\":[],\"missing_columns\":[],"
                + "\"new_enum_values\":{\"transaction_type\":{\"REFUND\":3,\"payment\":1}}}");
    }

    @Test
    void aRunWithoutNewEnumValuesHasTheDriftJsonOfBefore() throws Exception {
        TestLake lake = new TestLake(tempDir);
        RunValidated run = validate(lake, lake.validator(), HEADER_WITH_TYPE, "T1,C1,1.00,EUR,2024-01-01T00:00:00Z,FEE");

        String json = EventCodec.mapper().writeValueAsString(run);

        assertThat(json).contains("\"drift\":{\"unknown_columns\":[],\"missing_columns\":[]}").doesNotContain("new_enum_values");
        assertThat(EventCodec.mapper().readValue(json, RunValidated.class)).isEqualTo(run);
    }

    @Test
    void theSameRowWithARealTypeIsAnIdConflictNotAnExactDuplicateOfItsUnknownTwin() {
        TestLake lake = new TestLake(tempDir);

        RunValidated run = validate(lake, lake.validator(), HEADER_WITH_TYPE,
                "T1,C1,1.00,EUR,2024-01-01T00:00:00Z,",
                "T1,C1,1.00,EUR,2024-01-01T00:00:00Z,PAYMENT",
                "T1,C1,1.00,EUR,2024-01-01T00:00:00Z,");

        assertThat(run.counts()).isEqualTo(new RunValidated.Counts(3, 1, 1, 1));
        assertThat(run.quarantine().errorCounts()).containsOnlyKeys("DUPLICATE_ID_CONFLICT");
    }

    @Test
    void withoutTheTransactionTypeEnumerationNoRunIsValidatedAndTheErrorSaysWhichReferenceDataIsMissing() {
        TestLake lake = new TestLake(tempDir);
        TransactionTypeReference reference = new TransactionTypeReference(lake.store, lake.layout);
        Supplier<TransactionTypes> types = reference::forRun;
        RunValidator validator = new RunValidator(lake.store, lake.layout, lake.clock, () -> CommonIsoCurrencies.instance(), types,
                lake.workDir, ValidationConfig.DEFAULT);
        FileLanded landed = lake.land("t.csv", (HEADER + "\nT1,C1,1.00,EUR,2024-01-01T00:00:00Z\n").getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> validator.validate(landed)).isInstanceOf(ReferenceDataException.class)
                .hasMessageContaining("transaction-type enumeration")
                .hasMessageContaining("reference/transaction-types/transaction_types.json")
                .hasMessageContaining("does not exist")
                .hasMessageContaining("no run is validated until it is fixed");
        assertThat(lake.keysUnder("silver/")).isEmpty();
        assertThat(lake.store.head(lake.layout.validationRecord(RunId.of(landed.runId())))).isEmpty();

        lake.store.create(lake.layout.transactionTypes(), "{\"codes\": []}".getBytes(StandardCharsets.UTF_8), "application/json");
        assertThatThrownBy(() -> validator.validate(landed)).isInstanceOf(ReferenceDataException.class)
                .hasMessageContaining("is not a valid transaction-type enumeration");
        lake.store.delete(lake.layout.transactionTypes());

        assertThat(TransactionTypeReference.seed(lake.store, lake.layout)).isTrue();
        assertThat(TransactionTypeReference.seed(lake.store, lake.layout)).as("create-once").isFalse();
        assertThat(TransactionTypesDocument.parse(lake.store.read(lake.layout.transactionTypes())).codes())
                .containsExactlyElementsOf(StandardTransactionTypes.CODES)
                .containsExactly("PAYMENT", "DISBURSEMENT", "INTEREST", "FEE", "ADJUSTMENT");
        RunValidated run = validator.validate(landed);
        assertThat(run.counts()).isEqualTo(new RunValidated.Counts(1, 1, 0, 0));
    }

    @Test
    void theEnumerationDocumentRefusesEmptyDuplicatedPaddedOrReservedTypes() {
        assertThatThrownBy(() -> TransactionTypesDocument.parse("{\"codes\": []}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("at least one type");
        assertThatThrownBy(() -> TransactionTypesDocument.parse("{\"codes\": [\"FEE\", \"FEE\"]}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> TransactionTypesDocument.parse("{\"codes\": [\" FEE\"]}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("whitespace");
        assertThatThrownBy(() -> TransactionTypesDocument.parse("{\"codes\": [\"UNKNOWN\"]}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> TransactionTypesDocument.parse("{\"codes\": \"FEE\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not an array");
        TransactionTypesDocument document = TransactionTypesDocument.of(List.of("FEE", "REFUND"), "d");
        assertThat(TransactionTypesDocument.parse(document.toJson())).isEqualTo(document);
    }

    @Test
    void aRetriedRowKeepsItsTypeAndPassesOnceTheTypeIsOnTheEnumeration() {
        TestLake lake = new TestLake(tempDir);
        Set<String> extraTypes = ConcurrentHashMap.newKeySet();
        java.util.function.Function<Instant, RunValidator> validatorAt = at -> new RunValidator(lake.store, lake.layout,
                Clock.fixed(at, ZoneOffset.UTC), () -> CommonIsoCurrencies.instance(),
                () -> type -> StandardTransactionTypes.instance().allows(type) || extraTypes.contains(type),
                lake.workDir, ValidationConfig.DEFAULT);
        RunValidated batch = validate(lake, validatorAt.apply(TestLake.NOW), HEADER_WITH_TYPE,
                "T1,C1,1.00,EUR,2024-01-01T00:00:00Z,REFUND",
                "T2,C2,2.00,QQQ,2024-01-02T00:00:00Z,INTEREST",
                "T3,C3,3.00,QQQ,2024-01-03T00:00:00Z,",
                "T4,C4,4.00,EUR,2024-01-04T00:00:00Z,CHARGEBACK");
        assertThat(batch.counts()).isEqualTo(new RunValidated.Counts(4, 0, 4, 0));
        extraTypes.add("REFUND");

        RunId retryRunId = RunId.of("20260121T130000000Z-0000beef_RETRY");
        RetryDue due = new RetryDue(batch.runId(), batch.dataset(), batch.ingestDate(), batch.quarantine().location(), 2,
                batch.validatedAt(), RetryDue.REASON_SCHEDULED, retryRunId.value(), RetryDue.BATCH_QUARANTINE, batch.validatedAt(),
                false, null);
        RunValidated retry = validatorAt.apply(TestLake.NOW.plus(Duration.ofHours(1))).retry(due);

        // T1's REFUND is allowed now; T2/T3 still fail on the currency and keep their type (or its absence).
        assertThat(retry.counts()).isEqualTo(new RunValidated.Counts(4, 1, 3, 0));
        assertThat(retry.drift().newEnumValues()).containsExactly(entry("transaction_type", Map.of("CHARGEBACK", 1L)));
        assertThat(lake.query("SELECT transaction_id, transaction_type FROM read_parquet(?, hive_partitioning = false)",
                lake.layout.silverPart(YearMonth.of(2024, 1), "v1", retryRunId, 0)))
                .extracting(r -> r.get("transaction_id"), r -> r.get("transaction_type")).containsExactly(tuple("T1", "REFUND"));
        assertThat(lake.query("SELECT transaction_id, transaction_type, attempt_count FROM read_parquet(?, hive_partitioning = false)"
                + " ORDER BY source_line", retry.quarantine().location()))
                .extracting(r -> r.get("transaction_id"), r -> r.get("transaction_type"), r -> r.get("attempt_count"))
                .containsExactly(tuple("T2", "INTEREST", 2), tuple("T3", "", 2), tuple("T4", "CHARGEBACK", 2));
        assertThat(lake.query("SELECT transaction_id, transaction_type FROM read_parquet(?, hive_partitioning = false)",
                retry.retry().retriedRows())).extracting(r -> r.get("transaction_id"), r -> r.get("transaction_type"))
                .containsExactly(tuple("T1", "REFUND"));
    }
}
