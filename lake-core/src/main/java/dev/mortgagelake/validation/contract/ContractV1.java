package dev.mortgagelake.validation.contract;

import java.util.List;

/**
 * Contract v1 of {@code mortgages/transactions}: the five CSV columns every file must carry, by
 * header name (order free). Extra columns are drift: measured, never an error, never in Silver.
 */
public final class ContractV1 {

    /** The schema version this contract writes ({@code schema_v=v1}). */
    public static final String SCHEMA_VERSION = "v1";

    public static final String TRANSACTION_ID = "TransactionID";
    public static final String CUSTOMER_ID = "CustomerID";
    public static final String TRANSACTION_AMOUNT = "TransactionAmount";
    public static final String CURRENCY = "Currency";
    public static final String TRANSACTION_TIMESTAMP = "TransactionTimestamp";

    /** The required columns, in the contract's order (the order of {@link HeaderMapping#positions()}). */
    public static final List<String> COLUMNS =
            List.of(TRANSACTION_ID, CUSTOMER_ID, TRANSACTION_AMOUNT, CURRENCY, TRANSACTION_TIMESTAMP);

    /** Index of each column in {@link #COLUMNS}. */
    public static final int IDX_TRANSACTION_ID = 0;
    public static final int IDX_CUSTOMER_ID = 1;
    public static final int IDX_TRANSACTION_AMOUNT = 2;
    public static final int IDX_CURRENCY = 3;
    public static final int IDX_TRANSACTION_TIMESTAMP = 4;

    private ContractV1() {
    }
}
