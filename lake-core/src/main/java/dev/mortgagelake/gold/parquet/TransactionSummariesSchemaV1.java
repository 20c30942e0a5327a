package dev.mortgagelake.gold.parquet;

import dev.mortgagelake.contract.ContractCatalog;
import dev.mortgagelake.contract.ContractVersion;
import dev.mortgagelake.contract.DatasetContract;
import dev.mortgagelake.gold.TransactionSummary;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Gold {@code transaction_summaries}, {@code schema_v=v1}: one file per {@code as_of_month} with at
 * least one transaction (the Hive partition of the path, not a column), rows sorted by
 * {@code currency, transaction_type}. Parquet schema:
 *
 * <pre>
 * message dev.mortgagelake.gold.TransactionSummaryV1 {
 *   required binary currency (STRING);
 *   required binary transaction_type (STRING);
 *   required int64 transaction_count;
 *   required fixed_len_byte_array(8) total_amount (DECIMAL(18,2));
 *   required fixed_len_byte_array(8) min_amount (DECIMAL(18,2));
 *   required fixed_len_byte_array(8) max_amount (DECIMAL(18,2));
 *   required fixed_len_byte_array(9) avg_amount (DECIMAL(20,4));
 * }
 * </pre>
 */
public final class TransactionSummariesSchemaV1 {

    /** The contract's table: the directory of its files in lake-core's {@code contracts/}. */
    public static final String CONTRACT_TABLE = "gold_transaction_summaries";

    /** The contract these files are written with, {@code contracts/gold_transaction_summaries/v1.0.avsc} (the columns' meaning is there). */
    public static final DatasetContract CONTRACT = ContractCatalog.standard().contract(CONTRACT_TABLE, new ContractVersion(1, 0));

    /** The Avro schema of the files: {@link #CONTRACT}'s writer schema (no docs, no lake attributes). */
    public static final Schema SCHEMA = CONTRACT.writerSchema();

    private static final Schema MONEY = SCHEMA.getField("total_amount").schema();
    /**
     * DECIMAL(20,4), not DECIMAL(18,4): an average of DECIMAL(18,2) amounts can have 16 integer digits
     * (one transaction of 1234567890123456.78), which DECIMAL(18,4) cannot hold. 20,4 is the smallest
     * type that holds every average of Silver amounts at scale 4 (rounded HALF_EVEN).
     */
    private static final Schema AVERAGE = SCHEMA.getField("avg_amount").schema();
    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    private TransactionSummariesSchemaV1() {
    }

    /** The Parquet record of {@code row}. */
    public static GenericRecord toRecord(TransactionSummary row) {
        GenericData.Record record = new GenericData.Record(SCHEMA);
        record.put(0, row.currency());
        record.put(1, row.transactionType());
        record.put(2, row.transactionCount());
        record.put(3, Decimal18.encode(MONEY, Decimal18.unscaled(row.totalAmount(), 2)));
        record.put(4, Decimal18.encode(MONEY, Decimal18.unscaled(row.minAmount(), 2)));
        record.put(5, Decimal18.encode(MONEY, Decimal18.unscaled(row.maxAmount(), 2)));
        record.put(6, DECIMALS.toFixed(row.avgAmount().setScale(4, java.math.RoundingMode.UNNECESSARY), AVERAGE,
                AVERAGE.getLogicalType()));
        return record;
    }
}
