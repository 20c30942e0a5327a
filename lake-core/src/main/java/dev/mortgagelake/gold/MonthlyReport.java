package dev.mortgagelake.gold;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Objects;

/**
 * One row of {@code monthly_reports}: one month and currency present in {@code account_balances}
 * (so a month without transactions appears, with zero counts and sums).
 *
 * @param asOfMonth           {@code as_of_month}
 * @param currency            {@code currency}
 * @param transactionCount    the month's transactions in the currency
 * @param activeAccounts      accounts with a transaction in the month
 * @param totalCredits        sum of the month's positive amounts, DECIMAL(18,2)
 * @param totalDebits         sum of the month's negative amounts (zero or negative), DECIMAL(18,2)
 * @param netAmount           sum of the month's amounts, DECIMAL(18,2)
 * @param closingBalanceTotal sum of the month's {@code account_balances.closing_balance}, DECIMAL(18,2)
 * @param accountsWithBalance accounts whose closing balance that month is not zero
 */
public record MonthlyReport(YearMonth asOfMonth, String currency, long transactionCount, long activeAccounts,
                            BigDecimal totalCredits, BigDecimal totalDebits, BigDecimal netAmount,
                            BigDecimal closingBalanceTotal, long accountsWithBalance) {

    public MonthlyReport {
        Objects.requireNonNull(asOfMonth, "asOfMonth");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(totalCredits, "totalCredits");
        Objects.requireNonNull(totalDebits, "totalDebits");
        Objects.requireNonNull(netAmount, "netAmount");
        Objects.requireNonNull(closingBalanceTotal, "closingBalanceTotal");
    }
}
