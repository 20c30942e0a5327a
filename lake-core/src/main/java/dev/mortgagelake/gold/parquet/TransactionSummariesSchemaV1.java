package dev.mortgagelake.gold.parquet;

import dev.mortgagelake.gold.TransactionSummary;
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
 *   required fixed_len_byte_array(8) avg_amount (DECIMAL(18,4));
 * }
 * </pre>
 */
public final class TransactionSummariesSchemaV1 {

    public static final Schema SCHEMA = new Schema.Parser().parse("""
            {
              "type": "record",
              "name": "TransactionSummaryV1",
              "namespace": "dev.mortgagelake.gold",
              "fields": [
                {"name": "currency", "type": "string"},
                {"name": "transaction_type", "type": "string"},
                {"name": "transaction_count", "type": "long"},
                {"name": "total_amount", "type": {"type": "fixed", "name": "decimal_18_2", "size": 8,
                                                  "logicalType": "decimal", "precision": 18, "scale": 2}},
                {"name": "min_amount", "type": "decimal_18_2"},
                {"name": "max_amount", "type": "decimal_18_2"},
                {"name": "avg_amount", "type": {"type": "fixed", "name": "decimal_18_4", "size": 8,
                                                "logicalType": "decimal", "precision": 18, "scale": 4}}
              ]
            }
            """);

    private static final Schema MONEY = SCHEMA.getField("total_amount").schema();
    private static final Schema AVERAGE = SCHEMA.getField("avg_amount").schema();

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
        record.put(6, Decimal18.encode(AVERAGE, Decimal18.unscaled(row.avgAmount(), 4)));
        return record;
    }
}
