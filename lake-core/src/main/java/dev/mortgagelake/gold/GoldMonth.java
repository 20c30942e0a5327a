package dev.mortgagelake.gold;

import java.time.YearMonth;
import java.util.List;
import java.util.Objects;

/**
 * The Gold rows of one {@code as_of_month}, each list sorted by its key (account_balances by
 * account and currency, monthly_reports by currency, transaction_summaries by currency and type).
 *
 * @param month                the month
 * @param transactions         Silver rows of the month that went into it
 * @param accountBalances      every account and currency with a transaction in or before the month
 * @param monthlyReports       every currency of {@code accountBalances}
 * @param transactionSummaries every currency and type with a transaction in the month (empty for a month without)
 */
public record GoldMonth(YearMonth month, long transactions, List<AccountBalance> accountBalances,
                        List<MonthlyReport> monthlyReports, List<TransactionSummary> transactionSummaries) {

    public GoldMonth {
        Objects.requireNonNull(month, "month");
        accountBalances = List.copyOf(accountBalances);
        monthlyReports = List.copyOf(monthlyReports);
        transactionSummaries = List.copyOf(transactionSummaries);
    }
}
