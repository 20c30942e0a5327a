package dev.mortgagelake.validation.contract;

import dev.mortgagelake.contract.DatasetContract;
import dev.mortgagelake.validation.silver.SilverSchemaV1;

import java.util.ArrayList;
import java.util.List;

/**
 * Contract v1 of {@code mortgages/transactions}: the five CSV columns every file must carry, by
 * header name (order free), and the optional columns a file may carry (v1.1: {@code TransactionType}).
 * Other columns are drift: measured, never an error, never in Silver.
 *
 * <p>The columns are the {@code "source"} attributes of the Silver contract the lake writes with
 * ({@code contracts/silver_transactions/v1.1.avsc}, {@link SilverSchemaV1#CONTRACT}), resolved once
 * when this class is initialised: validation reads only these constants.
 */
public final class ContractV1 {

    /** The schema version this contract writes ({@code schema_v=v1}). */
    public static final String SCHEMA_VERSION = "v1";

    private static final DatasetContract SILVER = SilverSchemaV1.CONTRACT;

    public static final String TRANSACTION_ID = SILVER.sourceColumn(SilverSchemaV1.TRANSACTION_ID);
    public static final String CUSTOMER_ID = SILVER.sourceColumn(SilverSchemaV1.CUSTOMER_ID);
    public static final String TRANSACTION_AMOUNT = SILVER.sourceColumn(SilverSchemaV1.TRANSACTION_AMOUNT);
    public static final String CURRENCY = SILVER.sourceColumn(SilverSchemaV1.CURRENCY);
    public static final String TRANSACTION_TIMESTAMP = SILVER.sourceColumn(SilverSchemaV1.TRANSACTION_TIMESTAMP);
    /** The optional column of contract v1.1: absent in a file means {@link #UNKNOWN_TRANSACTION_TYPE} for every row. */
    public static final String TRANSACTION_TYPE = SILVER.sourceColumn(SilverSchemaV1.TRANSACTION_TYPE);

    /**
     * The required columns, in the contract's order (the first entries of {@link HeaderMapping#positions()}):
     * the Silver contract's required source columns, in its field order.
     */
    public static final List<String> COLUMNS = SILVER.requiredSourceColumns();

    /** The optional columns, in the contract's order: a file may leave them out. */
    public static final List<String> OPTIONAL_COLUMNS = SILVER.optionalSourceColumns();

    /**
     * Every column a record's values are read from: {@link #COLUMNS} then {@link #OPTIONAL_COLUMNS}. The
     * value arrays of validation, quarantine and retry are in this order (an absent optional column is a
     * {@code null} value).
     */
    public static final List<String> VALUE_COLUMNS = concat(COLUMNS, OPTIONAL_COLUMNS);

    /** Index of each column in {@link #VALUE_COLUMNS} (checked against the contract when the class is initialised). */
    public static final int IDX_TRANSACTION_ID = 0;
    public static final int IDX_CUSTOMER_ID = 1;
    public static final int IDX_TRANSACTION_AMOUNT = 2;
    public static final int IDX_CURRENCY = 3;
    public static final int IDX_TRANSACTION_TIMESTAMP = 4;
    public static final int IDX_TRANSACTION_TYPE = 5;

    /**
     * The Silver {@code transaction_type} of a row whose file has no {@code TransactionType} column, or
     * whose value is empty: the lake never guesses a type.
     */
    public static final String UNKNOWN_TRANSACTION_TYPE = "UNKNOWN";

    static {
        // The IDX_ constants are the order of this list.
        List<String> expected = List.of(TRANSACTION_ID, CUSTOMER_ID, TRANSACTION_AMOUNT, CURRENCY, TRANSACTION_TIMESTAMP);
        if (!COLUMNS.equals(expected)) {
            throw new IllegalStateException("The required source columns of " + SILVER + " are " + COLUMNS
                    + "; ContractV1's indexes are written for " + expected);
        }
        if (!OPTIONAL_COLUMNS.equals(List.of(TRANSACTION_TYPE))) {
            throw new IllegalStateException("The optional source columns of " + SILVER + " are " + OPTIONAL_COLUMNS
                    + "; ContractV1's indexes are written for " + List.of(TRANSACTION_TYPE));
        }
    }

    private ContractV1() {
    }

    /**
     * The Silver {@code transaction_type} of a valid row from its {@code TransactionType} value as read:
     * the value itself, or {@link #UNKNOWN_TRANSACTION_TYPE} when the column is absent ({@code null}) or
     * the value empty.
     */
    public static String silverTransactionType(String transactionType) {
        return transactionType == null || transactionType.isEmpty() ? UNKNOWN_TRANSACTION_TYPE : transactionType;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }
}
