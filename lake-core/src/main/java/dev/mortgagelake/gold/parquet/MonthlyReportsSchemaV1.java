package dev.mortgagelake.gold.parquet;

import dev.mortgagelake.contract.ContractCatalog;
import dev.mortgagelake.contract.ContractVersion;
import dev.mortgagelake.contract.DatasetContract;
import dev.mortgagelake.gold.MonthlyReport;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Gold {@code monthly_reports}, {@code schema_v=v1}: one file per {@code as_of_month} (the Hive
 * partition of the path, not a column), rows sorted by {@code currency}. Parquet schema:
 *
 * <pre>
 * message dev.mortgagelake.gold.MonthlyReportV1 {
 *   required binary currency (STRING);
 *   required int64 transaction_count;
 *   required int64 active_accounts;
 *   required fixed_len_byte_array(8) total_credits (DECIMAL(18,2));
 *   required fixed_len_byte_array(8) total_debits (DECIMAL(18,2));
 *   required fixed_len_byte_array(8) net_amount (DECIMAL(18,2));
 *   required fixed_len_byte_array(8) closing_balance_total (DECIMAL(18,2));
 *   required int64 accounts_with_balance;
 * }
 * </pre>
 */
public final class MonthlyReportsSchemaV1 {

    /** The contract's table: the directory of its files in lake-core's {@code contracts/}. */
    public static final String CONTRACT_TABLE = "gold_monthly_reports";

    /** The contract these files are written with, {@code contracts/gold_monthly_reports/v1.0.avsc} (the columns' meaning is there). */
    public static final DatasetContract CONTRACT = ContractCatalog.standard().contract(CONTRACT_TABLE, new ContractVersion(1, 0));

    /** The Avro schema of the files: {@link #CONTRACT}'s writer schema (no docs, no lake attributes). */
    public static final Schema SCHEMA = CONTRACT.writerSchema();

    private static final Schema MONEY = SCHEMA.getField("total_credits").schema();

    private MonthlyReportsSchemaV1() {
    }

    /** The Parquet record of {@code row}. */
    public static GenericRecord toRecord(MonthlyReport row) {
        GenericData.Record record = new GenericData.Record(SCHEMA);
        record.put(0, row.currency());
        record.put(1, row.transactionCount());
        record.put(2, row.activeAccounts());
        record.put(3, Decimal18.encode(MONEY, Decimal18.unscaled(row.totalCredits(), 2)));
        record.put(4, Decimal18.encode(MONEY, Decimal18.unscaled(row.totalDebits(), 2)));
        record.put(5, Decimal18.encode(MONEY, Decimal18.unscaled(row.netAmount(), 2)));
        record.put(6, Decimal18.encode(MONEY, Decimal18.unscaled(row.closingBalanceTotal(), 2)));
        record.put(7, row.accountsWithBalance());
        return record;
    }
}
