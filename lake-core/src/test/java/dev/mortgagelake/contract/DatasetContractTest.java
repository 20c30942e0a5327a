package dev.mortgagelake.contract;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.mortgagelake.contract.ContractCompatibilityTest.BASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetContractTest {

    private static final String FILE = "silver_transactions/v1.0.avsc";

    @Test
    void readsTableVersionFieldsAndLakeAttributes() {
        DatasetContract contract = DatasetContract.parse(FILE, BASE.getBytes(StandardCharsets.UTF_8));

        assertThat(contract.table()).isEqualTo("silver_transactions");
        assertThat(contract.version()).isEqualTo(new ContractVersion(1, 0));
        assertThat(contract.file()).isEqualTo(FILE);
        assertThat(contract.fields()).extracting(ContractField::name).containsExactly("transaction_id", "customer_id",
                "transaction_amount", "currency", "transaction_timestamp", "note", "history", "source_line");
        assertThat(contract.field("currency")).isEqualTo(new ContractField("currency", 3, "ISO 4217 code.",
                Optional.of(new SourceColumn("Currency", true)), Optional.of("reference/currencies/iso4217_allow_list.json")));
        assertThat(contract.field("note").source()).isEmpty();
        assertThat(contract.sourceColumn("transaction_amount")).isEqualTo("TransactionAmount");
        assertThat(contract.requiredSourceColumns())
                .containsExactly("TransactionID", "CustomerID", "TransactionAmount", "Currency", "TransactionTimestamp");
        assertThat(contract.sha256()).isEqualTo(DatasetContract.sha256(BASE.getBytes(StandardCharsets.UTF_8))).hasSize(64);
        assertThatThrownBy(() -> contract.field("amount")).hasMessageContaining("has no field amount");
        assertThatThrownBy(() -> contract.sourceColumn("note")).hasMessageContaining("field note has no source column");
    }

    @Test
    void theWriterSchemaIsTheContractWithoutDocsAndLakeAttributes() {
        DatasetContract contract = DatasetContract.parse(FILE, BASE.getBytes(StandardCharsets.UTF_8));

        Schema written = contract.writerSchema();

        assertThat(written.toString()).doesNotContain("\"doc\"", "\"source\"", "reference_data", "Identifier of the transaction");
        assertThat(written.toString()).isEqualTo("{\"type\":\"record\",\"name\":\"SilverTransactionV1\",\"namespace\":\"dev.mortgagelake.silver\","
                + "\"fields\":[{\"name\":\"transaction_id\",\"type\":\"string\"},{\"name\":\"customer_id\",\"type\":\"string\"},"
                + "{\"name\":\"transaction_amount\",\"type\":{\"type\":\"fixed\",\"name\":\"decimal_18_2\",\"size\":8,"
                + "\"logicalType\":\"decimal\",\"precision\":18,\"scale\":2}},{\"name\":\"currency\",\"type\":\"string\"},"
                + "{\"name\":\"transaction_timestamp\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},"
                + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"history\",\"type\":{\"type\":\"array\","
                + "\"items\":{\"type\":\"record\",\"name\":\"Attempt\",\"fields\":[{\"name\":\"attempt\",\"type\":\"int\"},"
                + "{\"name\":\"run_id\",\"type\":\"string\"}]}}},{\"name\":\"source_line\",\"type\":\"long\"}]}");
        assertThat(written.getField("note").defaultVal()).isEqualTo(contract.schema().getField("note").defaultVal());
        assertThat(written.getField("transaction_amount").schema().getLogicalType())
                .isEqualTo(contract.schema().getField("transaction_amount").schema().getLogicalType());
        assertThat(written.getField("currency").getObjectProps()).isEmpty();
        assertThat(written.getField("history").schema().getElementType().getField("attempt").doc()).isNull();
    }

    @Test
    void keepsAliasesDefaultsAndNamedTypesInTheWriterSchema() {
        String json = BASE.replace("\"name\": \"customer_id\", \"type\": \"string\"",
                        "\"name\": \"customer_id\", \"aliases\": [\"account\"], \"type\": \"string\"")
                .replace("{\"type\": \"fixed\", \"name\": \"decimal_18_2\"", "{\"type\": \"fixed\", \"doc\": \"Cents.\", \"name\": \"decimal_18_2\"")
                .replace("\"name\": \"source_line\", \"type\": \"long\"", "\"name\": \"source_line\", \"type\": \"decimal_18_2\"");
        DatasetContract contract = DatasetContract.parse(FILE, json.getBytes(StandardCharsets.UTF_8));

        Schema written = contract.writerSchema();

        assertThat(written.getField("customer_id").aliases()).containsExactly("account");
        assertThat(written.getField("transaction_amount").schema().getDoc()).isNull();
        assertThat(written.getField("source_line").schema()).isSameAs(written.getField("transaction_amount").schema());
        assertThat(written.toString()).contains("\"type\":\"decimal_18_2\"")
                .contains("{\"type\":\"fixed\",\"name\":\"decimal_18_2\",\"size\":8,\"logicalType\":\"decimal\",\"precision\":18,\"scale\":2}");
        assertThat(new Schema.Parser().parse(written.toString())).isEqualTo(written);
    }

    static Stream<Arguments> invalidContracts() {
        return Stream.of(
                Arguments.of("not a contract path", "silver_transactions/1.0.avsc", BASE, "not a contract file name"),
                Arguments.of("upper case table", "Silver/v1.0.avsc", BASE, "not a contract file name"),
                Arguments.of("leading zero", "silver_transactions/v1.01.avsc", BASE, "Not a contract version: 'v1.01'"),
                Arguments.of("version 0", "silver_transactions/v0.1.avsc", BASE, "Not a contract version: 'v0.1'"),
                Arguments.of("not JSON", FILE, "{\"type\": ", "not a valid Avro schema"),
                Arguments.of("not a record", FILE, "{\"type\": \"string\"}", "a contract is an Avro record schema, not STRING"),
                Arguments.of("record name of another schema_v", "silver_transactions/v2.0.avsc", BASE,
                        "record name SilverTransactionV1 must end with V2"),
                Arguments.of("record without doc", FILE, BASE.replace("\"doc\": \"One row per valid record.\",", ""),
                        "the record needs a doc"),
                Arguments.of("record attribute", FILE, BASE.replace("\"doc\": \"One row per valid record.\",",
                        "\"doc\": \"One row per valid record.\", \"owner\": \"me\","), "unknown record attribute(s) [owner]"),
                Arguments.of("field without doc", FILE, BASE.replace(", \"doc\": \"Line of the record.\"", ""),
                        "field source_line needs a doc"),
                Arguments.of("field with a blank doc", FILE, BASE.replace("\"Line of the record.\"", "\"  \""),
                        "field source_line needs a doc"),
                Arguments.of("nested field without doc", FILE, BASE.replace(", \"doc\": \"The run.\"", ""),
                        "field history[].run_id needs a doc"),
                Arguments.of("misspelt attribute", FILE, BASE.replace("\"source\": {\"column\": \"Currency\"", "\"sourse\": {\"column\": \"Currency\""),
                        "unknown attribute 'sourse' on field currency"),
                Arguments.of("lake attribute on a nested field", FILE, BASE.replace("\"doc\": \"The run.\"",
                        "\"doc\": \"The run.\", \"reference_data\": \"x\""), "on field history[].run_id"),
                Arguments.of("source without required", FILE, BASE.replace("{\"column\": \"Currency\", \"required\": true}",
                        "{\"column\": \"Currency\"}"), "field currency: source must be {\"column\""),
                Arguments.of("source required as text", FILE, BASE.replace("{\"column\": \"Currency\", \"required\": true}",
                        "{\"column\": \"Currency\", \"required\": \"yes\"}"), "field currency: source must be"),
                Arguments.of("source as a string", FILE, BASE.replace("{\"column\": \"Currency\", \"required\": true}", "\"Currency\""),
                        "field currency: source must be"),
                Arguments.of("one CSV column for two fields", FILE, BASE.replace("\"column\": \"CustomerID\"", "\"column\": \"TransactionID\""),
                        "source column TransactionID is mapped to more than one field"),
                Arguments.of("blank reference data", FILE, BASE.replace("\"reference/currencies/iso4217_allow_list.json\"", "\"\""),
                        "reference_data must be the object key"),
                Arguments.of("reference data as a list", FILE, BASE.replace("\"reference/currencies/iso4217_allow_list.json\"", "[\"EUR\"]"),
                        "reference_data must be the object key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidContracts")
    void refusesAnInvalidContractNamingTheFileAndTheProblem(String name, String file, String json, String problem) {
        assertThat(file.equals(FILE) && json.equals(BASE)).as("a case edits the base contract or names another file").isFalse();
        assertThatThrownBy(() -> DatasetContract.parse(file, json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ContractException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining(problem);
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        byte[] bytes = BASE.replace("ISO 4217 code.", "ISO 4217 code\u00e9").getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> DatasetContract.parse(FILE, bytes)).isInstanceOf(ContractException.class).hasMessage(FILE + ": not UTF-8");
    }

    @Test
    void versionsParseAndOrder() {
        assertThat(ContractVersion.parse("v1.0")).isEqualTo(new ContractVersion(1, 0));
        assertThat(ContractVersion.parse("v12.3")).hasToString("v12.3");
        assertThat(ContractVersion.parse("v1.3").schemaVersion()).isEqualTo("v1");
        assertThat(ContractVersion.parse("v1.3").nextSchema()).isEqualTo(new ContractVersion(2, 0));
        assertThat(Stream.of("v2.0", "v1.10", "v1.2").map(ContractVersion::parse).sorted().map(ContractVersion::toString))
                .containsExactly("v1.2", "v1.10", "v2.0");
        assertThatThrownBy(() -> ContractVersion.parse("1.0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ContractVersion.parse("v1")).isInstanceOf(IllegalArgumentException.class);
    }
}
