package dev.mortgagelake.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static dev.mortgagelake.contract.ChangeKind.DATASET_MEANING_CHANGED;
import static dev.mortgagelake.contract.ChangeKind.DECIMAL_CHANGED;
import static dev.mortgagelake.contract.ChangeKind.DEFAULT_CHANGED;
import static dev.mortgagelake.contract.ChangeKind.FIELD_INSERTED;
import static dev.mortgagelake.contract.ChangeKind.FIELD_MOVED;
import static dev.mortgagelake.contract.ChangeKind.FIELD_REMOVED;
import static dev.mortgagelake.contract.ChangeKind.FIELD_RENAMED;
import static dev.mortgagelake.contract.ChangeKind.MEANING_CHANGED;
import static dev.mortgagelake.contract.ChangeKind.NULLABILITY_CHANGED;
import static dev.mortgagelake.contract.ChangeKind.OPTIONAL_FIELD_ADDED;
import static dev.mortgagelake.contract.ChangeKind.RECORD_RENAMED;
import static dev.mortgagelake.contract.ChangeKind.REFERENCE_DATA_CHANGED;
import static dev.mortgagelake.contract.ChangeKind.REQUIRED_FIELD_ADDED;
import static dev.mortgagelake.contract.ChangeKind.SOURCE_COLUMN_CHANGED;
import static dev.mortgagelake.contract.ChangeKind.SOURCE_REQUIREMENT_CHANGED;
import static dev.mortgagelake.contract.ChangeKind.TYPE_CHANGED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every kind of change between two contract versions, as a table: an edit of a base contract, the
 * kinds of change found (in order), the overall verdict and a fragment of the first message.
 */
class ContractCompatibilityTest {

    /** A small Silver-like contract: source columns, reference data, a nullable column, a list of records. */
    static final String BASE = """
            {"type": "record", "name": "SilverTransactionV1", "namespace": "dev.mortgagelake.silver",
             "doc": "One row per valid record.",
             "fields": [
              {"name": "transaction_id", "type": "string", "doc": "Identifier of the transaction.",
               "source": {"column": "TransactionID", "required": true}},
              {"name": "customer_id", "type": "string", "doc": "The customer account.",
               "source": {"column": "CustomerID", "required": true}},
              {"name": "transaction_amount", "type": {"type": "fixed", "name": "decimal_18_2", "size": 8, "logicalType": "decimal", "precision": 18, "scale": 2},
               "doc": "Signed amount.", "source": {"column": "TransactionAmount", "required": true}},
              {"name": "currency", "type": "string", "doc": "ISO 4217 code.",
               "source": {"column": "Currency", "required": true}, "reference_data": "reference/currencies/iso4217_allow_list.json"},
              {"name": "transaction_timestamp", "type": {"type": "long", "logicalType": "timestamp-micros"}, "doc": "When, UTC.",
               "source": {"column": "TransactionTimestamp", "required": true}},
              {"name": "note", "type": ["null", "string"], "default": null, "doc": "A free note."},
              {"name": "history", "type": {"type": "array", "items": {"type": "record", "name": "Attempt", "fields": [
                {"name": "attempt", "type": "int", "doc": "Attempt number."},
                {"name": "run_id", "type": "string", "doc": "The run."}]}}, "doc": "Earlier attempts."},
              {"name": "source_line", "type": "long", "doc": "Line of the record."}
             ]}
            """;

    private static final String LAST_FIELD = "{\"name\": \"source_line\", \"type\": \"long\", \"doc\": \"Line of the record.\"}";

    static Stream<Arguments> changes() {
        return Stream.of(
                // additions
                change("optional column with an optional source column, added last",
                        LAST_FIELD, LAST_FIELD + ", {\"name\": \"transaction_type\", \"type\": [\"null\", \"string\"], \"default\": null,"
                                + " \"doc\": \"Type.\", \"source\": {\"column\": \"TransactionType\", \"required\": false}}",
                        Verdict.SAFE, List.of(OPTIONAL_FIELD_ADDED),
                        "silver_transactions v1.1: transaction_type added as nullable string, source column TransactionType (optional)"
                                + " is a SAFE optional column addition"),
                change("optional column without a source, added last",
                        LAST_FIELD, LAST_FIELD + ", {\"name\": \"comment\", \"type\": [\"null\", \"long\"], \"default\": null, \"doc\": \"C.\"}",
                        Verdict.SAFE, List.of(OPTIONAL_FIELD_ADDED), "comment added as nullable long is a SAFE optional column addition"),
                change("column that is not nullable",
                        LAST_FIELD, LAST_FIELD + ", {\"name\": \"transaction_type\", \"type\": \"string\", \"doc\": \"Type.\"}",
                        Verdict.BREAKING, List.of(REQUIRED_FIELD_ADDED),
                        "transaction_type added as string (not nullable) is a BREAKING required column addition; it needs a new schema_v (v2)"),
                change("nullable column without a default",
                        LAST_FIELD, LAST_FIELD + ", {\"name\": \"transaction_type\", \"type\": [\"null\", \"string\"], \"doc\": \"Type.\"}",
                        Verdict.BREAKING, List.of(REQUIRED_FIELD_ADDED), "(no null default)"),
                change("nullable column with a default other than null",
                        LAST_FIELD, LAST_FIELD + ", {\"name\": \"transaction_type\", \"type\": [\"string\", \"null\"], \"default\": \"UNKNOWN\","
                                + " \"doc\": \"Type.\"}",
                        Verdict.BREAKING, List.of(REQUIRED_FIELD_ADDED), "(no null default)"),
                change("optional column read from a required CSV column",
                        LAST_FIELD, LAST_FIELD + ", {\"name\": \"transaction_type\", \"type\": [\"null\", \"string\"], \"default\": null,"
                                + " \"doc\": \"Type.\", \"source\": {\"column\": \"TransactionType\", \"required\": true}}",
                        Verdict.BREAKING, List.of(REQUIRED_FIELD_ADDED), "(every file would need CSV column TransactionType)"),
                change("optional column inserted between existing columns",
                        "{\"name\": \"note\"", "{\"name\": \"channel\", \"type\": [\"null\", \"string\"], \"default\": null, \"doc\": \"Ch.\"},"
                                + " {\"name\": \"note\"",
                        Verdict.BREAKING, List.of(FIELD_INSERTED),
                        "channel added as nullable string at position 6, before existing column note (new columns go last)"
                                + " is a BREAKING column insertion between existing columns"),
                // removal, rename, move
                change("removal",
                        "{\"name\": \"note\", \"type\": [\"null\", \"string\"], \"default\": null, \"doc\": \"A free note.\"},", "",
                        Verdict.BREAKING, List.of(FIELD_REMOVED), "note (nullable string) removed is a BREAKING column removal"),
                change("rename declared by an alias",
                        "\"name\": \"customer_id\", \"type\": \"string\"", "\"name\": \"account_id\", \"aliases\": [\"customer_id\"], \"type\": \"string\"",
                        Verdict.BREAKING, List.of(FIELD_RENAMED),
                        "customer_id -> account_id (declared by alias) is a BREAKING rename; it needs a new schema_v (v2)"),
                change("rename detected: same position, same type",
                        "\"name\": \"customer_id\"", "\"name\": \"account_id\"",
                        Verdict.BREAKING, List.of(FIELD_RENAMED), "customer_id -> account_id (same position and type) is a BREAKING rename"),
                change("other name and other type at a position: a removal and an addition, not a rename",
                        LAST_FIELD, "{\"name\": \"line\", \"type\": \"int\", \"doc\": \"Line of the record.\"}",
                        Verdict.BREAKING, List.of(FIELD_REMOVED, REQUIRED_FIELD_ADDED), "source_line (long) removed"),
                change("two columns swapped",
                        """
                                {"name": "transaction_id", "type": "string", "doc": "Identifier of the transaction.",
                                   "source": {"column": "TransactionID", "required": true}},
                                  {"name": "customer_id", "type": "string", "doc": "The customer account.",
                                   "source": {"column": "CustomerID", "required": true}},""".strip(),
                        """
                                {"name": "customer_id", "type": "string", "doc": "The customer account.",
                                   "source": {"column": "CustomerID", "required": true}},
                                {"name": "transaction_id", "type": "string", "doc": "Identifier of the transaction.",
                                   "source": {"column": "TransactionID", "required": true}},""",
                        Verdict.BREAKING, List.of(FIELD_MOVED, FIELD_MOVED), "transaction_id moved from position 1 to 2 is a BREAKING column move"),
                // types
                change("type",
                        "\"name\": \"source_line\", \"type\": \"long\"", "\"name\": \"source_line\", \"type\": \"string\"",
                        Verdict.BREAKING, List.of(TYPE_CHANGED), "source_line long -> string is a BREAKING type change"),
                change("logical type",
                        "\"logicalType\": \"timestamp-micros\"", "\"logicalType\": \"timestamp-millis\"",
                        Verdict.BREAKING, List.of(TYPE_CHANGED), "transaction_timestamp timestamp-micros -> timestamp-millis is a BREAKING type change"),
                change("decimal scale",
                        "\"name\": \"decimal_18_2\", \"size\": 8, \"logicalType\": \"decimal\", \"precision\": 18, \"scale\": 2",
                        "\"name\": \"decimal_18_4\", \"size\": 8, \"logicalType\": \"decimal\", \"precision\": 18, \"scale\": 4",
                        Verdict.BREAKING, List.of(DECIMAL_CHANGED),
                        "silver_transactions v1.1: transaction_amount decimal(18,2) -> decimal(18,4) is a BREAKING precision/scale change;"
                                + " it needs a new schema_v (v2)"),
                change("decimal precision",
                        "\"name\": \"decimal_18_2\", \"size\": 8, \"logicalType\": \"decimal\", \"precision\": 18",
                        "\"name\": \"decimal_20_2\", \"size\": 9, \"logicalType\": \"decimal\", \"precision\": 20",
                        Verdict.BREAKING, List.of(DECIMAL_CHANGED), "transaction_amount decimal(18,2) -> decimal(20,2) is a BREAKING precision/scale change"),
                change("same decimal, other storage",
                        "\"size\": 8", "\"size\": 9",
                        Verdict.BREAKING, List.of(TYPE_CHANGED), "\"size\":8,"),
                change("required becomes nullable",
                        "\"name\": \"currency\", \"type\": \"string\"", "\"name\": \"currency\", \"type\": [\"null\", \"string\"], \"default\": null",
                        Verdict.BREAKING, List.of(NULLABILITY_CHANGED, DEFAULT_CHANGED),
                        "currency string -> nullable string is a BREAKING nullability change"),
                change("nullable becomes required",
                        "\"name\": \"note\", \"type\": [\"null\", \"string\"], \"default\": null", "\"name\": \"note\", \"type\": \"string\"",
                        Verdict.BREAKING, List.of(NULLABILITY_CHANGED, DEFAULT_CHANGED), "note nullable string -> string is a BREAKING nullability change"),
                change("default",
                        "\"name\": \"note\", \"type\": [\"null\", \"string\"], \"default\": null",
                        "\"name\": \"note\", \"type\": [\"string\", \"null\"], \"default\": \"none\"",
                        Verdict.BREAKING, List.of(DEFAULT_CHANGED), "note default null -> \"none\" is a BREAKING default-value change"),
                // meaning
                change("doc of a column",
                        "\"doc\": \"Signed amount.\"", "\"doc\": \"Absolute amount.\"",
                        Verdict.BREAKING, List.of(MEANING_CHANGED),
                        "transaction_amount doc \"Signed amount.\" -> \"Absolute amount.\" is a BREAKING meaning change (its doc changed)"),
                change("doc of the record",
                        "One row per valid record.", "One row per valid record, deduplicated.",
                        Verdict.BREAKING, List.of(DATASET_MEANING_CHANGED), "(record) doc"),
                change("doc re-wrapped only: no change",
                        "\"doc\": \"Signed amount.\"", "\"doc\": \"  Signed\\n   amount. \"",
                        Verdict.SAFE, List.of(), null),
                change("doc of a nested field",
                        "\"doc\": \"Attempt number.\"", "\"doc\": \"Attempt number, from 0.\"",
                        Verdict.BREAKING, List.of(MEANING_CHANGED), "history[].attempt doc"),
                // CSV source and reference data
                change("source column",
                        "\"column\": \"Currency\"", "\"column\": \"CurrencyCode\"",
                        Verdict.BREAKING, List.of(SOURCE_COLUMN_CHANGED),
                        "currency source column Currency -> CurrencyCode is a BREAKING source-column change"),
                change("source column given to a field that had none",
                        "\"doc\": \"A free note.\"", "\"doc\": \"A free note.\", \"source\": {\"column\": \"Note\", \"required\": false}",
                        Verdict.BREAKING, List.of(SOURCE_COLUMN_CHANGED), "note source column (absent) -> Note"),
                change("source column no longer required",
                        "\"column\": \"Currency\", \"required\": true", "\"column\": \"Currency\", \"required\": false",
                        Verdict.BREAKING, List.of(SOURCE_REQUIREMENT_CHANGED),
                        "currency source column Currency required -> optional is a BREAKING source-column requirement change"),
                change("reference data",
                        "reference/currencies/iso4217_allow_list.json", "reference/currencies/eurozone.json",
                        Verdict.BREAKING, List.of(REFERENCE_DATA_CHANGED),
                        "currency reference data reference/currencies/iso4217_allow_list.json -> reference/currencies/eurozone.json"
                                + " is a BREAKING reference-data change"),
                change("reference data dropped",
                        ", \"reference_data\": \"reference/currencies/iso4217_allow_list.json\"", "",
                        Verdict.BREAKING, List.of(REFERENCE_DATA_CHANGED), "reference data reference/currencies/iso4217_allow_list.json -> (absent)"),
                // records
                change("record name",
                        "\"name\": \"SilverTransactionV1\"", "\"name\": \"SilverTransactionsV1\"",
                        Verdict.BREAKING, List.of(RECORD_RENAMED),
                        "(record) dev.mortgagelake.silver.SilverTransactionV1 -> dev.mortgagelake.silver.SilverTransactionsV1 is a BREAKING record rename"),
                change("optional field added last in a nested record",
                        "\"doc\": \"The run.\"}", "\"doc\": \"The run.\"}, {\"name\": \"reason\", \"type\": [\"null\", \"string\"], \"default\": null,"
                                + " \"doc\": \"Why.\"}",
                        Verdict.SAFE, List.of(OPTIONAL_FIELD_ADDED), "history[].reason added as nullable string is a SAFE"),
                change("type of a nested field",
                        "{\"name\": \"attempt\", \"type\": \"int\"", "{\"name\": \"attempt\", \"type\": \"long\"",
                        Verdict.BREAKING, List.of(TYPE_CHANGED), "history[].attempt int -> long is a BREAKING type change"),
                change("nothing",
                        "Line of the record.", "Line of the record.",
                        Verdict.SAFE, List.of(), null));
    }

    private static Arguments change(String name, String from, String to, Verdict verdict, List<ChangeKind> kinds, String message) {
        return Arguments.of(name, from, to, verdict, kinds, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void classifiesEveryKindOfChange(String name, String from, String to, Verdict verdict, List<ChangeKind> kinds, String message) {
        assertThat(BASE).contains(from);
        DatasetContract older = contract("silver_transactions/v1.0.avsc", BASE);
        DatasetContract newer = contract("silver_transactions/v1.1.avsc", BASE.replace(from, to));

        CompatibilityReport report = ContractCompatibility.compare(older, newer);

        assertThat(report.changes()).extracting(ContractChange::kind).as(report.describe()).containsExactlyElementsOf(kinds);
        assertThat(report.verdict()).isEqualTo(verdict);
        report.changes().forEach(change -> {
            assertThat(change.verdict()).isEqualTo(change.kind().verdict());
            assertThat(change.message()).startsWith("silver_transactions v1.1: ").contains(" is a " + change.verdict() + " ");
            if (change.verdict() == Verdict.BREAKING) {
                assertThat(change.message()).endsWith("; it needs a new schema_v (v2)");
            }
        });
        if (message != null) {
            assertThat(report.changes().get(0).message()).contains(message);
        }
    }

    @Test
    void everyKindOfChangeIsInTheTable() {
        List<ChangeKind> covered = changes().flatMap(arguments -> ((List<?>) arguments.get()[4]).stream())
                .map(ChangeKind.class::cast).distinct().toList();
        assertThat(covered).containsExactlyInAnyOrder(ChangeKind.values());
    }

    @Test
    void onlyAnOptionalColumnAddedLastIsSafe() {
        assertThat(ChangeKind.values()).filteredOn(kind -> kind.verdict() == Verdict.SAFE).containsExactly(OPTIONAL_FIELD_ADDED);
    }

    @Test
    void reportsTheChangeOfTheBriefWithBeforeAndAfter() {
        DatasetContract older = contract("silver_transactions/v1.0.avsc", BASE);
        DatasetContract newer = contract("silver_transactions/v1.1.avsc", BASE.replace("\"precision\": 18, \"scale\": 2", "\"precision\": 18, \"scale\": 4"));

        CompatibilityReport report = ContractCompatibility.compare(older, newer);

        assertThat(report.changes()).containsExactly(new ContractChange(DECIMAL_CHANGED, "transaction_amount", "decimal(18,2)",
                "decimal(18,4)", "silver_transactions v1.1: transaction_amount decimal(18,2) -> decimal(18,4) is a BREAKING"
                + " precision/scale change; it needs a new schema_v (v2)"));
        assertThat(report.describe()).isEqualTo("silver_transactions v1.0 -> v1.1: BREAKING (1 change)\n  silver_transactions v1.1:"
                + " transaction_amount decimal(18,2) -> decimal(18,4) is a BREAKING precision/scale change; it needs a new schema_v (v2)");
    }

    @Test
    void aLongDocShowsWhereItChanged() {
        String doc = "When the transaction happened (business time), normalised to UTC at microsecond precision, never truncated.";
        String base = BASE.replace("\"When, UTC.\"", "\"" + doc + "\"");
        DatasetContract older = contract("silver_transactions/v1.0.avsc", base);
        DatasetContract newer = contract("silver_transactions/v1.1.avsc", base.replace("microsecond", "millisecond"));

        ContractChange change = ContractCompatibility.compare(older, newer).changes().get(0);

        assertThat(change.before()).isEqualTo(doc);
        assertThat(change.message()).contains("doc \"…time), normalised to UTC at microsecond precision, never truncated.\" -> "
                + "\"…time), normalised to UTC at millisecond precision, never truncated.\"");
    }

    @Test
    void refusesToCompareTwoTables() {
        DatasetContract silver = contract("silver_transactions/v1.0.avsc", BASE);
        DatasetContract other = contract("other_transactions/v1.0.avsc", BASE);

        assertThatThrownBy(() -> ContractCompatibility.compare(silver, other)).isInstanceOf(IllegalArgumentException.class);
    }

    static DatasetContract contract(String file, String json) {
        return DatasetContract.parse(file, json.getBytes(StandardCharsets.UTF_8));
    }
}
