package dev.mortgagelake.gold;

/**
 * The three Gold datasets computed from the one Silver table ({@code schema_v=v1}). Each is its own
 * table at {@code gold/finance/<name>/schema_v=v1/}, partitioned by {@code as_of_month}.
 */
public enum GoldDataset {
    /** Month-end balance per account and currency, carried forward through months without transactions. */
    ACCOUNT_BALANCES("account_balances"),
    /** Per month and currency: counts, credits, debits, and the month-end balance totals. */
    MONTHLY_REPORTS("monthly_reports"),
    /** Per month, currency and transaction type with at least one transaction: count, sum, min, max, average. */
    TRANSACTION_SUMMARIES("transaction_summaries");

    /** The Gold schema version every dataset is written in. */
    public static final String SCHEMA_VERSION = "v1";

    private final String tableName;

    GoldDataset(String tableName) {
        this.tableName = tableName;
    }

    /** The dataset's name in the lake ({@code gold/finance/<name>/}). */
    public String tableName() {
        return tableName;
    }
}
