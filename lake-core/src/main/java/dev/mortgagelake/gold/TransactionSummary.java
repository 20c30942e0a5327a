package dev.mortgagelake.gold;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Objects;

/**
 * One row of {@code transaction_summaries}: one month, currency and transaction type with at least
 * one transaction.
 *
 * @param asOfMonth        {@code as_of_month}
 * @param currency         {@code currency}
 * @param transactionType  {@code transaction_type}: the Silver type ({@link SilverTransaction#UNKNOWN_TYPE} for rows of Silver v1.0 files and of files without TransactionType)
 * @param transactionCount transactions (at least 1)
 * @param totalAmount      sum of amounts, DECIMAL(18,2)
 * @param minAmount        smallest amount, DECIMAL(18,2)
 * @param maxAmount        largest amount, DECIMAL(18,2)
 * @param avgAmount        exact {@code totalAmount / transactionCount} rounded HALF_EVEN to scale 4 (stored as DECIMAL(20,4))
 */
public record TransactionSummary(YearMonth asOfMonth, String currency, String transactionType, long transactionCount,
                                 BigDecimal totalAmount, BigDecimal minAmount, BigDecimal maxAmount, BigDecimal avgAmount) {

    public TransactionSummary {
        Objects.requireNonNull(asOfMonth, "asOfMonth");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(transactionType, "transactionType");
        Objects.requireNonNull(totalAmount, "totalAmount");
        Objects.requireNonNull(minAmount, "minAmount");
        Objects.requireNonNull(maxAmount, "maxAmount");
        Objects.requireNonNull(avgAmount, "avgAmount");
        if (transactionCount < 1) {
            throw new IllegalArgumentException("A summary row needs at least one transaction");
        }
    }
}
