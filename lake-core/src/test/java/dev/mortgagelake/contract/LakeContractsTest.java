package dev.mortgagelake.contract;

import dev.mortgagelake.gold.GoldDataset;
import dev.mortgagelake.gold.parquet.AccountBalancesSchemaV1;
import dev.mortgagelake.gold.parquet.MonthlyReportsSchemaV1;
import dev.mortgagelake.gold.parquet.TransactionSummariesSchemaV1;
import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.validation.contract.ContractV1;
import dev.mortgagelake.validation.quarantine.QuarantineSchemaV1;
import dev.mortgagelake.validation.silver.SilverSchemaV1;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What the v1.0 contracts say, and that the schemas the lake writes with are derived from them. */
class LakeContractsTest {

    /*
     * The Avro schemas in the footers of every Parquet file the lake wrote before the contracts were
     * files (parquet-avro's parquet.avro.schema key holds Schema.toString()): deriving the schemas
     * from the contract files must not change one byte of them.
     */
    private static final String SILVER_FOOTER = "{\"type\":\"record\",\"name\":\"SilverTransactionV1\",\"namespace\":\"dev.mortgagelake.silver\",\"fields\":[{\"name\":\"transaction_id\",\"type\":\"string\"},{\"name\":\"customer_id\",\"type\":\"string\"},{\"name\":\"transaction_amount\",\"type\":{\"type\":\"fixed\",\"name\":\"decimal_18_2\",\"size\":8,\"logicalType\":\"decimal\",\"precision\":18,\"scale\":2}},{\"name\":\"currency\",\"type\":\"string\"},{\"name\":\"transaction_timestamp\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},{\"name\":\"run_id\",\"type\":\"string\"},{\"name\":\"source_line\",\"type\":\"long\"}]}";
    private static final String ACCOUNT_BALANCES_FOOTER = "{\"type\":\"record\",\"name\":\"AccountBalanceV1\",\"namespace\":\"dev.mortgagelake.gold\",\"fields\":[{\"name\":\"account_id\",\"type\":\"string\"},{\"name\":\"currency\",\"type\":\"string\"},{\"name\":\"closing_balance\",\"type\":{\"type\":\"fixed\",\"name\":\"decimal_18_2\",\"size\":8,\"logicalType\":\"decimal\",\"precision\":18,\"scale\":2}},{\"name\":\"net_change\",\"type\":\"decimal_18_2\"},{\"name\":\"transaction_count\",\"type\":\"long\"},{\"name\":\"last_transaction_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}}]}";
    private static final String MONTHLY_REPORTS_FOOTER = "{\"type\":\"record\",\"name\":\"MonthlyReportV1\",\"namespace\":\"dev.mortgagelake.gold\",\"fields\":[{\"name\":\"currency\",\"type\":\"string\"},{\"name\":\"transaction_count\",\"type\":\"long\"},{\"name\":\"active_accounts\",\"type\":\"long\"},{\"name\":\"total_credits\",\"type\":{\"type\":\"fixed\",\"name\":\"decimal_18_2\",\"size\":8,\"logicalType\":\"decimal\",\"precision\":18,\"scale\":2}},{\"name\":\"total_debits\",\"type\":\"decimal_18_2\"},{\"name\":\"net_amount\",\"type\":\"decimal_18_2\"},{\"name\":\"closing_balance_total\",\"type\":\"decimal_18_2\"},{\"name\":\"accounts_with_balance\",\"type\":\"long\"}]}";
    private static final String TRANSACTION_SUMMARIES_FOOTER = "{\"type\":\"record\",\"name\":\"TransactionSummaryV1\",\"namespace\":\"dev.mortgagelake.gold\",\"fields\":[{\"name\":\"currency\",\"type\":\"string\"},{\"name\":\"transaction_type\",\"type\":\"string\"},{\"name\":\"transaction_count\",\"type\":\"long\"},{\"name\":\"total_amount\",\"type\":{\"type\":\"fixed\",\"name\":\"decimal_18_2\",\"size\":8,\"logicalType\":\"decimal\",\"precision\":18,\"scale\":2}},{\"name\":\"min_amount\",\"type\":\"decimal_18_2\"},{\"name\":\"max_amount\",\"type\":\"decimal_18_2\"},{\"name\":\"avg_amount\",\"type\":{\"type\":\"fixed\",\"name\":\"decimal_20_4\",\"size\":9,\"logicalType\":\"decimal\",\"precision\":20,\"scale\":4}}]}";
    private static final String QUARANTINE_FOOTER = "{\"type\":\"record\",\"name\":\"QuarantinedTransactionV1\",\"namespace\":\"dev.mortgagelake.quarantine\",\"fields\":[{\"name\":\"transaction_id\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"customer_id\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"transaction_amount\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"currency\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"transaction_timestamp\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"source_line\",\"type\":\"long\"},{\"name\":\"raw_record\",\"type\":\"string\"},{\"name\":\"validation_error\",\"type\":\"string\"},{\"name\":\"error_codes\",\"type\":{\"type\":\"array\",\"items\":\"string\"}},{\"name\":\"attempt_count\",\"type\":\"int\"},{\"name\":\"retry_history\",\"type\":{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"RetryAttempt\",\"fields\":[{\"name\":\"attempt\",\"type\":\"int\"},{\"name\":\"attempted_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},{\"name\":\"error_codes\",\"type\":{\"type\":\"array\",\"items\":\"string\"}},{\"name\":\"validation_error\",\"type\":\"string\"},{\"name\":\"run_id\",\"type\":\"string\"}]}}},{\"name\":\"run_id\",\"type\":\"string\"},{\"name\":\"ingest_date\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}}]}";

    /** Contract v1.1 appends one nullable column to the v1.0 footer, nothing else changes. */
    private static final String TRANSACTION_TYPE_FIELD = ",{\"name\":\"transaction_type\",\"type\":[\"null\",\"string\"],\"default\":null}]}";

    @Test
    void theV1_0ContractsAreTheWrittenSchemasOfBeforeUnchanged() {
        assertFooter(SilverSchemaV1.CONTRACT_V1_0.writerSchema(), SilverSchemaV1.CONTRACT_V1_0, "silver_transactions", SILVER_FOOTER);
        assertFooter(QuarantineSchemaV1.CONTRACT_V1_0.writerSchema(), QuarantineSchemaV1.CONTRACT_V1_0, "quarantine_transactions",
                QUARANTINE_FOOTER);
    }

    @Test
    void silverAndQuarantineAreWrittenWithV1_1WhichOnlyAppendsTheOptionalTransactionType() {
        assertFooter(SilverSchemaV1.SCHEMA, SilverSchemaV1.CONTRACT, "silver_transactions", new ContractVersion(1, 1),
                SILVER_FOOTER.substring(0, SILVER_FOOTER.length() - 2) + TRANSACTION_TYPE_FIELD);
        assertFooter(QuarantineSchemaV1.SCHEMA, QuarantineSchemaV1.CONTRACT, "quarantine_transactions", new ContractVersion(1, 1),
                QUARANTINE_FOOTER.substring(0, QUARANTINE_FOOTER.length() - 2) + TRANSACTION_TYPE_FIELD);
        assertThat(SilverSchemaV1.CONTRACT.field(SilverSchemaV1.TRANSACTION_TYPE).source())
                .contains(new dev.mortgagelake.contract.SourceColumn("TransactionType", false));
        assertThat(SilverSchemaV1.SCHEMA.getFields()).last().extracting(Schema.Field::name).isEqualTo(SilverSchemaV1.TRANSACTION_TYPE);
        assertThat(QuarantineSchemaV1.SCHEMA.getField(QuarantineSchemaV1.TRANSACTION_TYPE).pos()).isEqualTo(13);
    }

    @Test
    void theGoldSchemasTheLakeWritesAreTheV1ContractsWrittenSchemasUnchanged() {
        assertFooter(AccountBalancesSchemaV1.SCHEMA, AccountBalancesSchemaV1.CONTRACT, "gold_account_balances", ACCOUNT_BALANCES_FOOTER);
        assertFooter(MonthlyReportsSchemaV1.SCHEMA, MonthlyReportsSchemaV1.CONTRACT, "gold_monthly_reports", MONTHLY_REPORTS_FOOTER);
        assertFooter(TransactionSummariesSchemaV1.SCHEMA, TransactionSummariesSchemaV1.CONTRACT, "gold_transaction_summaries",
                TRANSACTION_SUMMARIES_FOOTER);
    }

    private static void assertFooter(Schema written, DatasetContract contract, String table, String footer) {
        assertFooter(written, contract, table, new ContractVersion(1, 0), footer);
    }

    private static void assertFooter(Schema written, DatasetContract contract, String table, ContractVersion version, String footer) {
        assertThat(contract.table()).isEqualTo(table);
        assertThat(contract.version()).isEqualTo(version);
        assertThat(contract).isSameAs(ContractCatalog.standard().contract(table, version));
        assertThat(written).isSameAs(contract.writerSchema());
        assertThat(written.toString()).isEqualTo(footer);
    }

    @Test
    void goldContractsAreNamedLikeTheirIcebergTables() {
        assertThat(ContractCatalog.standard().tables()).containsExactlyInAnyOrder("silver_transactions", "quarantine_transactions",
                "gold_account_balances", "gold_monthly_reports", "gold_transaction_summaries");
        for (GoldDataset dataset : GoldDataset.values()) {
            assertThat(ContractCatalog.standard().latest("gold_" + dataset.tableName(), 1)).isPresent();
        }
    }

    @Test
    void theCsvInputContractIsTheSilverContractsSourceColumns() {
        DatasetContract silver = SilverSchemaV1.CONTRACT;

        assertThat(ContractV1.COLUMNS).containsExactly("TransactionID", "CustomerID", "TransactionAmount", "Currency", "TransactionTimestamp")
                .isEqualTo(silver.requiredSourceColumns());
        assertThat(ContractV1.COLUMNS.get(ContractV1.IDX_TRANSACTION_ID)).isEqualTo(ContractV1.TRANSACTION_ID).isEqualTo("TransactionID");
        assertThat(ContractV1.COLUMNS.get(ContractV1.IDX_CUSTOMER_ID)).isEqualTo(ContractV1.CUSTOMER_ID).isEqualTo("CustomerID");
        assertThat(ContractV1.COLUMNS.get(ContractV1.IDX_TRANSACTION_AMOUNT)).isEqualTo(ContractV1.TRANSACTION_AMOUNT)
                .isEqualTo("TransactionAmount");
        assertThat(ContractV1.COLUMNS.get(ContractV1.IDX_CURRENCY)).isEqualTo(ContractV1.CURRENCY).isEqualTo("Currency");
        assertThat(ContractV1.COLUMNS.get(ContractV1.IDX_TRANSACTION_TIMESTAMP)).isEqualTo(ContractV1.TRANSACTION_TIMESTAMP)
                .isEqualTo("TransactionTimestamp");
        assertThat(ContractV1.SCHEMA_VERSION).isEqualTo(silver.version().schemaVersion()).isEqualTo(SilverSchemaV1.SCHEMA_VERSION);
        assertThat(silver.field(SilverSchemaV1.RUN_ID).source()).isEmpty();
        assertThat(silver.field(SilverSchemaV1.SOURCE_LINE).source()).isEmpty();
        assertThat(ContractV1.OPTIONAL_COLUMNS).containsExactly("TransactionType").isEqualTo(silver.optionalSourceColumns());
        assertThat(ContractV1.VALUE_COLUMNS.get(ContractV1.IDX_TRANSACTION_TYPE)).isEqualTo(ContractV1.TRANSACTION_TYPE);
        assertThat(ContractV1.VALUE_COLUMNS).hasSize(QuarantineSchemaV1.VALUE_COLUMNS.size());
    }

    @Test
    void theCurrencyReferenceDataIsTheAllowListTheValidatorReads() {
        LakeLayout layout = new LakeLayout(new LakeBuckets("landing", "bronze", "silver", "gold", "quarantine"));

        assertThat(SilverSchemaV1.CONTRACT.field(SilverSchemaV1.CURRENCY).referenceData()).isEqualTo(Optional.of(layout.currencyAllowList().key()));
        assertThat(SilverSchemaV1.CONTRACT.field(SilverSchemaV1.TRANSACTION_TYPE).referenceData())
                .isEqualTo(Optional.of(layout.transactionTypes().key())).contains("reference/transaction-types/transaction_types.json");
        assertThat(SilverSchemaV1.CONTRACT.fields()).filteredOn(field -> field.referenceData().isPresent())
                .extracting(ContractField::name).containsExactly(SilverSchemaV1.CURRENCY, SilverSchemaV1.TRANSACTION_TYPE);
    }

    @Test
    void everyFieldOfEveryContractSaysWhatItMeans() {
        for (DatasetContract contract : ContractCatalog.standard().contracts()) {
            assertThat(contract.schema().getDoc()).as(contract.file()).isNotBlank();
            assertThat(contract.fields()).as(contract.file()).allSatisfy(field -> assertThat(field.doc()).hasSizeGreaterThan(10));
        }
    }
}
