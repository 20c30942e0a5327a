package dev.mortgagelake.gold.parquet;

import dev.mortgagelake.contract.ContractCatalog;
import dev.mortgagelake.contract.ContractVersion;
import dev.mortgagelake.contract.DatasetContract;
import dev.mortgagelake.gold.AccountBalance;
import dev.mortgagelake.gold.GoldValues;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import java.time.YearMonth;

/**
 * Gold {@code account_balances}, {@code schema_v=v1}: one file per {@code as_of_month}, rows sorted by
 * {@code account_id, currency}. {@code as_of_month} is the Hive partition of the path
 * ({@code as_of_month=YYYY-MM/}), not a column of the file. Parquet schema:
 *
 * <pre>
 * message dev.mortgagelake.gold.AccountBalanceV1 {
 *   required binary account_id (STRING);
 *   required binary currency (STRING);
 *   required fixed_len_byte_array(8) closing_balance (DECIMAL(18,2));
 *   required fixed_len_byte_array(8) net_change (DECIMAL(18,2));
 *   required int64 transaction_count;
 *   required int64 last_transaction_at (TIMESTAMP(MICROS,true));
 * }
 * </pre>
 */
public final class AccountBalancesSchemaV1 {

    public static final String ACCOUNT_ID = "account_id";
    public static final String CURRENCY = "currency";
    public static final String CLOSING_BALANCE = "closing_balance";
    public static final String NET_CHANGE = "net_change";
    public static final String TRANSACTION_COUNT = "transaction_count";
    public static final String LAST_TRANSACTION_AT = "last_transaction_at";

    /** The contract's table: the directory of its files in lake-core's {@code contracts/}. */
    public static final String CONTRACT_TABLE = "gold_account_balances";

    /** The contract these files are written with, {@code contracts/gold_account_balances/v1.0.avsc} (the columns' meaning is there). */
    public static final DatasetContract CONTRACT = ContractCatalog.standard().contract(CONTRACT_TABLE, new ContractVersion(1, 0));

    /** The Avro schema of the files: {@link #CONTRACT}'s writer schema (no docs, no lake attributes). */
    public static final Schema SCHEMA = CONTRACT.writerSchema();

    private static final Schema MONEY = SCHEMA.getField(CLOSING_BALANCE).schema();

    private AccountBalancesSchemaV1() {
    }

    /** The Parquet record of {@code row}. */
    public static GenericRecord toRecord(AccountBalance row) {
        GenericData.Record record = new GenericData.Record(SCHEMA);
        record.put(0, row.accountId());
        record.put(1, row.currency());
        record.put(2, Decimal18.encode(MONEY, Decimal18.unscaled(row.closingBalance(), 2)));
        record.put(3, Decimal18.encode(MONEY, Decimal18.unscaled(row.netChange(), 2)));
        record.put(4, row.transactionCount());
        record.put(5, GoldValues.micros(row.lastTransactionAt()));
        return record;
    }

    /** The row of a record read from the file of {@code asOfMonth}. */
    public static AccountBalance fromRecord(GenericRecord record, YearMonth asOfMonth) {
        return new AccountBalance(record.get(ACCOUNT_ID).toString(), record.get(CURRENCY).toString(), asOfMonth,
                GoldValues.money(Decimal18.decode(record.get(CLOSING_BALANCE))),
                GoldValues.money(Decimal18.decode(record.get(NET_CHANGE))),
                (Long) record.get(TRANSACTION_COUNT), GoldValues.instant((Long) record.get(LAST_TRANSACTION_AT)));
    }
}
