package dev.mortgagelake.gold;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Objects;

/**
 * One row of {@code account_balances}: an account's position in one currency at the end of one
 * month. There is a row for every month from the account's first transaction in that currency to
 * the latest month in Silver; in a month without transactions the balance carries forward
 * ({@code netChange} 0, {@code transactionCount} 0).
 *
 * @param accountId         {@code account_id} (the Silver {@code customer_id})
 * @param currency          {@code currency}
 * @param asOfMonth         {@code as_of_month}
 * @param closingBalance    sum of all the account's amounts in the currency up to the end of the month, DECIMAL(18,2)
 * @param netChange         sum of the month's amounts, DECIMAL(18,2)
 * @param transactionCount  the month's transactions
 * @param lastTransactionAt latest business timestamp up to the end of the month (UTC)
 */
public record AccountBalance(String accountId, String currency, YearMonth asOfMonth, BigDecimal closingBalance,
                             BigDecimal netChange, long transactionCount, Instant lastTransactionAt) {

    public AccountBalance {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(asOfMonth, "asOfMonth");
        Objects.requireNonNull(closingBalance, "closingBalance");
        Objects.requireNonNull(netChange, "netChange");
        Objects.requireNonNull(lastTransactionAt, "lastTransactionAt");
    }
}
