package dev.mortgagelake.validation.quarantine;

import dev.mortgagelake.contract.ContractCatalog;
import dev.mortgagelake.contract.ContractVersion;
import dev.mortgagelake.contract.DatasetContract;
import org.apache.avro.Schema;

import java.util.List;

/**
 * The quarantine file of a run ({@code invalid_rows.parquet}): one row per record that failed the
 * contract, keeping everything needed to review it, fix the reference data and re-validate it.
 * Its schema is the contract {@code contracts/quarantine_transactions/v1.0.avsc} (lake-core resources;
 * the meaning of each column is the field's doc there). Written through parquet-avro, it gives this
 * Parquet schema:
 *
 * <pre>
 * message dev.mortgagelake.quarantine.QuarantinedTransactionV1 {
 *   optional binary transaction_id (STRING);
 *   optional binary customer_id (STRING);
 *   optional binary transaction_amount (STRING);
 *   optional binary currency (STRING);
 *   optional binary transaction_timestamp (STRING);
 *   required int64 source_line;
 *   required binary raw_record (STRING);
 *   required binary validation_error (STRING);
 *   required group error_codes (LIST) { repeated group list { required binary element (STRING); } }
 *   required int32 attempt_count;
 *   required group retry_history (LIST) {
 *     repeated group list {
 *       required group element {
 *         required int32 attempt;
 *         required int64 attempted_at (TIMESTAMP(MICROS,true));
 *         required group error_codes (LIST) { repeated group list { required binary element (STRING); } }
 *         required binary validation_error (STRING);
 *         required binary run_id (STRING);
 *       }
 *     }
 *   }
 *   required binary run_id (STRING);
 *   required int32 ingest_date (DATE);
 * }
 * </pre>
 *
 * <ul>
 *   <li>The five value columns hold the contract columns {@code TransactionID}, {@code CustomerID},
 *       {@code TransactionAmount}, {@code Currency}, {@code TransactionTimestamp} exactly as read
 *       (no trimming, no conversion). {@code null} means the record had no such field (a
 *       {@code FIELD_COUNT} record shorter than the header); an empty field is an empty string.</li>
 *   <li>{@code source_line}: the 1-based line of the Bronze file on which the record starts.</li>
 *   <li>{@code raw_record}: every field of the record, drift columns included, re-encoded as one
 *       RFC 4180 CSV record (comma-separated; a field is quoted when it holds a comma, a quote or a
 *       line break, quotes doubled). Parsing it gives back exactly the fields as read.</li>
 *   <li>{@code validation_error}: every violated rule, {@code "CODE: message; CODE: message"}.</li>
 *   <li>{@code error_codes}: the distinct codes of {@code validation_error}, in order
 *       ({@link dev.mortgagelake.validation.contract.RowErrorCode}).</li>
 *   <li>{@code attempt_count}: validation attempts made so far (1 for a first validation).</li>
 *   <li>{@code retry_history}: earlier attempts, oldest first (empty at the first attempt): the
 *       attempt, when it was made, its codes and errors, and the run that made it (the first
 *       element's {@code run_id} is the row's origin run).</li>
 *   <li>{@code run_id}, {@code ingest_date}: the run that quarantined the row and its Bronze date.</li>
 * </ul>
 */
public final class QuarantineSchemaV1 {

    public static final String TRANSACTION_ID = "transaction_id";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String TRANSACTION_AMOUNT = "transaction_amount";
    public static final String CURRENCY = "currency";
    public static final String TRANSACTION_TIMESTAMP = "transaction_timestamp";
    public static final String SOURCE_LINE = "source_line";
    public static final String RAW_RECORD = "raw_record";
    public static final String VALIDATION_ERROR = "validation_error";
    public static final String ERROR_CODES = "error_codes";
    public static final String ATTEMPT_COUNT = "attempt_count";
    public static final String RETRY_HISTORY = "retry_history";
    public static final String RUN_ID = "run_id";
    public static final String INGEST_DATE = "ingest_date";
    /** Contract v1.1: the record's raw {@code TransactionType}, appended after every v1.0 column. */
    public static final String TRANSACTION_TYPE = "transaction_type";

    /** The value columns, in the order of {@link dev.mortgagelake.validation.contract.ContractV1#VALUE_COLUMNS}. */
    public static final List<String> VALUE_COLUMNS =
            List.of(TRANSACTION_ID, CUSTOMER_ID, TRANSACTION_AMOUNT, CURRENCY, TRANSACTION_TIMESTAMP, TRANSACTION_TYPE);

    /** Field position in {@link #SCHEMA} of each value column of {@link #VALUE_COLUMNS}. */
    static final int[] VALUE_POSITIONS = {0, 1, 2, 3, 4, 13};

    /** Field positions in {@link #SCHEMA}. */
    static final int POS_SOURCE_LINE = 5;
    static final int POS_RAW_RECORD = 6;
    static final int POS_VALIDATION_ERROR = 7;
    static final int POS_ERROR_CODES = 8;
    static final int POS_ATTEMPT_COUNT = 9;
    static final int POS_RETRY_HISTORY = 10;
    static final int POS_RUN_ID = 11;
    static final int POS_INGEST_DATE = 12;

    /** Columns written without dictionary encoding (mostly distinct values). */
    public static final List<String> NO_DICTIONARY = List.of(TRANSACTION_ID, RAW_RECORD, VALIDATION_ERROR);

    /** The contract's table: the directory of its files in lake-core's {@code contracts/}. */
    public static final String CONTRACT_TABLE = "quarantine_transactions";

    /** The first contract of {@code schema_v=v1}, {@code contracts/quarantine_transactions/v1.0.avsc} (no {@code transaction_type}). */
    public static final DatasetContract CONTRACT_V1_0 = ContractCatalog.standard().contract(CONTRACT_TABLE, new ContractVersion(1, 0));

    /**
     * The contract these files are written with, {@code contracts/quarantine_transactions/v1.1.avsc} (the
     * columns' meaning is there): v1.0 plus the optional raw {@code transaction_type}. Files written with
     * v1.0 are read alike, their {@code transaction_type} as {@code null}.
     */
    public static final DatasetContract CONTRACT = ContractCatalog.standard().contract(CONTRACT_TABLE, new ContractVersion(1, 1));

    /** The Avro schema of the files: {@link #CONTRACT}'s writer schema (no docs, no lake attributes). */
    public static final Schema SCHEMA = CONTRACT.writerSchema();

    /** The schema of one {@code retry_history} element. */
    public static final Schema RETRY_ATTEMPT = SCHEMA.getField(RETRY_HISTORY).schema().getElementType();

    private QuarantineSchemaV1() {
    }
}
