package dev.mortgagelake.validation.contract;

import dev.mortgagelake.contract.DatasetContract;
import dev.mortgagelake.validation.silver.SilverSchemaV1;

import java.util.List;

/**
 * Contract v1 of {@code mortgages/transactions}: the five CSV columns every file must carry, by
 * header name (order free). Extra columns are drift: measured, never an error, never in Silver.
 *
 * <p>The columns are the {@code "source"} attributes of the Silver contract
 * ({@code contracts/silver_transactions/v1.0.avsc}, {@link SilverSchemaV1#CONTRACT}), resolved once
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

    /**
     * The required columns, in the contract's order (the order of {@link HeaderMapping#positions()}):
     * the Silver contract's required source columns, in its field order.
     */
    public static final List<String> COLUMNS = SILVER.requiredSourceColumns();

    /** Index of each column in {@link #COLUMNS} (checked against the contract when the class is initialised). */
    public static final int IDX_TRANSACTION_ID = 0;
    public static final int IDX_CUSTOMER_ID = 1;
    public static final int IDX_TRANSACTION_AMOUNT = 2;
    public static final int IDX_CURRENCY = 3;
    public static final int IDX_TRANSACTION_TIMESTAMP = 4;

    static {
        // The IDX_ constants are the order of this list.
        List<String> expected = List.of(TRANSACTION_ID, CUSTOMER_ID, TRANSACTION_AMOUNT, CURRENCY, TRANSACTION_TIMESTAMP);
        if (!COLUMNS.equals(expected)) {
            throw new IllegalStateException("The required source columns of " + SILVER + " are " + COLUMNS
                    + "; ContractV1's indexes are written for " + expected);
        }
    }

    private ContractV1() {
    }
}
