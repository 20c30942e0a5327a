package dev.mortgagelake.validation.silver;

import dev.mortgagelake.contract.ContractCatalog;
import dev.mortgagelake.contract.ContractVersion;
import dev.mortgagelake.contract.DatasetContract;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

import java.util.List;

/**
 * The Silver table {@code mortgages/transactions}, {@code schema_v=v1}: one row per valid record.
 * Its schema is the contract {@code contracts/silver_transactions/v1.1.avsc} (lake-core resources;
 * the meaning of each column is the field's doc there). Its files are the ones parquet-avro writes
 * for that Avro schema (written without Avro records by {@link SilverWriteSupport}, which keeps the
 * Avro schema in the footer for Avro readers), with
 * this Parquet schema:
 *
 * <pre>
 * message dev.mortgagelake.silver.SilverTransactionV1 {
 *   required binary transaction_id (STRING);
 *   required binary customer_id (STRING);
 *   required fixed_len_byte_array(8) transaction_amount (DECIMAL(18,2));
 *   required binary currency (STRING);
 *   required int64 transaction_timestamp (TIMESTAMP(MICROS,true));
 *   required binary run_id (STRING);
 *   required int64 source_line;
 *   optional binary transaction_type (STRING);
 * }
 * </pre>
 *
 * <ul>
 *   <li>{@code transaction_id}, {@code customer_id}, {@code currency}: the CSV values exactly as read
 *       ({@code TransactionID}, {@code CustomerID}, {@code Currency}).</li>
 *   <li>{@code transaction_amount}: {@code TransactionAmount} as an exact DECIMAL(18,2) (8-byte
 *       big-endian two's complement of the amount in cents; SQL engines read it as
 *       {@code decimal(18,2)}).</li>
 *   <li>{@code transaction_timestamp}: {@code TransactionTimestamp} normalised to UTC, microseconds,
 *       adjusted to UTC (SQL {@code timestamp with time zone} / Athena {@code timestamp}). Its UTC
 *       year and month are the Silver partition.</li>
 *   <li>{@code run_id}: lineage, the run that wrote the row.</li>
 *   <li>{@code source_line}: lineage, the 1-based line of the Bronze file on which the record starts
 *       (line 1 is the header; a record with a quoted line break spans several lines).</li>
 *   <li>{@code transaction_type} (contract v1.1, appended last): {@code TransactionType} as read, on the
 *       transaction-type enumeration, or {@code UNKNOWN} when the file has no such column or the value is
 *       empty. Nullable only because files written with v1.0 lack it: the validator always writes a value,
 *       and readers take a missing or null value as {@code UNKNOWN}.</li>
 * </ul>
 * No other column is nullable: a row with a missing value is never valid. Dictionary encoding is off for
 * the two identifier columns (high cardinality).
 */
public final class SilverSchemaV1 {

    public static final String SCHEMA_VERSION = "v1";

    public static final String TRANSACTION_ID = "transaction_id";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String TRANSACTION_AMOUNT = "transaction_amount";
    public static final String CURRENCY = "currency";
    public static final String TRANSACTION_TIMESTAMP = "transaction_timestamp";
    public static final String RUN_ID = "run_id";
    public static final String SOURCE_LINE = "source_line";
    public static final String TRANSACTION_TYPE = "transaction_type";

    /** Field positions in {@link #SCHEMA}, which are also the column positions in the Parquet schema. */
    static final int POS_TRANSACTION_ID = 0;
    static final int POS_CUSTOMER_ID = 1;
    static final int POS_TRANSACTION_AMOUNT = 2;
    static final int POS_CURRENCY = 3;
    static final int POS_TRANSACTION_TIMESTAMP = 4;
    static final int POS_RUN_ID = 5;
    static final int POS_SOURCE_LINE = 6;
    static final int POS_TRANSACTION_TYPE = 7;

    /** Columns written without dictionary encoding: near-unique values, where a dictionary only costs time (profiled). */
    public static final List<String> NO_DICTIONARY = List.of(TRANSACTION_ID, CUSTOMER_ID, TRANSACTION_AMOUNT,
            TRANSACTION_TIMESTAMP, SOURCE_LINE);

    /** The contract's table: the directory of its files in lake-core's {@code contracts/}. */
    public static final String CONTRACT_TABLE = "silver_transactions";

    /**
     * The first contract of {@code schema_v=v1}, {@code contracts/silver_transactions/v1.0.avsc}: the
     * schema of every Silver file written before v1.1 (no {@code transaction_type}).
     */
    public static final DatasetContract CONTRACT_V1_0 = ContractCatalog.standard().contract(CONTRACT_TABLE, new ContractVersion(1, 0));

    /**
     * The contract these files are written with: {@code contracts/silver_transactions/v1.1.avsc}
     * (v1.0 plus the optional {@code transaction_type}), named explicitly, so a new minor version of the
     * contract changes nothing written until the writers move to it.
     */
    public static final DatasetContract CONTRACT = ContractCatalog.standard().contract(CONTRACT_TABLE, new ContractVersion(1, 1));

    /** The Avro schema of the files: {@link #CONTRACT}'s writer schema (no docs, no lake attributes). */
    public static final Schema SCHEMA = CONTRACT.writerSchema();

    private static final Schema AMOUNT_SCHEMA = SCHEMA.getField(TRANSACTION_AMOUNT).schema();

    private SilverSchemaV1() {
    }

    /** The {@code transaction_amount} Avro value for an amount of {@code cents} (unscaled DECIMAL(18,2)). */
    public static GenericData.Fixed amount(long cents) {
        byte[] bytes = new byte[8];
        for (int i = 7; i >= 0; i--) {
            bytes[i] = (byte) cents;
            cents >>= 8;
        }
        return new GenericData.Fixed(AMOUNT_SCHEMA, bytes);
    }
}
