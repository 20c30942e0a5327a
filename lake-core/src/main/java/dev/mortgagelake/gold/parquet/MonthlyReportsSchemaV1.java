package dev.mortgagelake.gold.parquet;

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

    public static final Schema SCHEMA = new Schema.Parser().parse("""
            {
              "type": "record",
              "name": "MonthlyReportV1",
              "namespace": "dev.mortgagelake.gold",
              "fields": [
                {"name": "currency", "type": "string"},
                {"name": "transaction_count", "type": "long"},
                {"name": "active_accounts", "type": "long"},
                {"name": "total_credits", "type": {"type": "fixed", "name": "decimal_18_2", "size": 8,
                                                   "logicalType": "decimal", "precision": 18, "scale": 2}},
                {"name": "total_debits", "type": "decimal_18_2"},
                {"name": "net_amount", "type": "decimal_18_2"},
                {"name": "closing_balance_total", "type": "decimal_18_2"},
                {"name": "accounts_with_balance", "type": "long"}
              ]
            }
            """);

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
