package dev.mortgagelake.gold;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Computes Gold month by month from a month-end state and the Silver rows of each following month:
 * the Gold datasets of schema v1 (columns on the schema classes in {@code dev.mortgagelake.gold.parquet}),
 * with nothing read from earlier history. Pure: no I/O.
 *
 * <p>Use: start from the {@code account_balances} rows of the month before the first month to
 * compute ({@link #after}) or from nothing ({@link #startingAt}); then, for each month in order,
 * {@link #add} its Silver rows (any order) and {@link #closeMonth()}. Months must be consecutive;
 * a month without rows is closed like any other and carries balances forward.
 *
 * <p>Invariants: the state after closing month {@code m} is exactly the {@code account_balances} of
 * {@code m}, so computing {@code a..c} in one go equals computing {@code a..b} and then starting
 * again {@link #after} {@code b} with {@code b}'s rows: incremental equals full. Memory is one entry
 * per account and currency plus the current month's aggregates; it does not grow with the number of
 * months or transactions. Sums are exact and fail with {@link ArithmeticException} when they leave
 * DECIMAL(18,2). Not thread-safe.
 */
public final class GoldCalculator {

    private static final Comparator<AccountKey> ACCOUNT_ORDER =
            Comparator.comparing(AccountKey::accountId).thenComparing(AccountKey::currency);

    /** Month-end state: every account and currency seen so far, in row order. */
    private final TreeMap<AccountKey, Position> positions = new TreeMap<>(ACCOUNT_ORDER);
    private final Map<AccountKey, MonthActivity> monthActivity = new HashMap<>();
    private final Map<String, CurrencyActivity> currencyActivity = new HashMap<>();
    private final TreeMap<TypeKey, TypeActivity> typeActivity = new TreeMap<>(
            Comparator.comparing(TypeKey::currency).thenComparing(TypeKey::transactionType));
    private YearMonth month;
    private long monthTransactions;

    private GoldCalculator(YearMonth firstMonth) {
        this.month = Objects.requireNonNull(firstMonth, "firstMonth");
    }

    /** A calculator whose first month is {@code firstMonth}, with no earlier transactions. */
    public static GoldCalculator startingAt(YearMonth firstMonth) {
        return new GoldCalculator(firstMonth);
    }

    /**
     * A calculator that continues after {@code previousMonth}, whose month-end state is
     * {@code previousMonthEnd} (that month's {@code account_balances} rows, each of {@code previousMonth}).
     */
    public static GoldCalculator after(YearMonth previousMonth, Collection<AccountBalance> previousMonthEnd) {
        GoldCalculator calculator = new GoldCalculator(previousMonth.plusMonths(1));
        for (AccountBalance balance : previousMonthEnd) {
            if (!balance.asOfMonth().equals(previousMonth)) {
                throw new IllegalArgumentException("State row of " + balance.asOfMonth() + " given as the month-end of " + previousMonth);
            }
            AccountKey key = new AccountKey(balance.accountId(), balance.currency());
            long cents = GoldValues.checked(balance.closingBalance().setScale(2).unscaledValue().longValueExact());
            Position previous = calculator.positions.put(key, new Position(cents, GoldValues.micros(balance.lastTransactionAt())));
            if (previous != null) {
                throw new IllegalArgumentException("Two state rows for " + key);
            }
        }
        return calculator;
    }

    /** The month the next {@link #closeMonth()} produces. */
    public YearMonth month() {
        return month;
    }

    /**
     * Adds one Silver row of {@link #month()}.
     *
     * @throws IllegalArgumentException if the row's UTC month is another month (a mis-partitioned file)
     */
    public void add(SilverTransaction transaction) {
        long micros = transaction.timestampMicros();
        if (!SilverTransaction.monthOf(micros).equals(month)) {
            throw new IllegalArgumentException("A transaction of " + SilverTransaction.monthOf(micros) + " (account "
                    + transaction.accountId() + ") was given for " + month);
        }
        long cents = transaction.amountCents();
        monthTransactions++;
        AccountKey account = new AccountKey(transaction.accountId(), transaction.currency());
        monthActivity.computeIfAbsent(account, k -> new MonthActivity()).add(cents, micros);
        currencyActivity.computeIfAbsent(transaction.currency(), k -> new CurrencyActivity()).add(cents);
        typeActivity.computeIfAbsent(new TypeKey(transaction.currency(), transaction.transactionType()), k -> new TypeActivity())
                .add(cents);
    }

    /** Produces the rows of {@link #month()} and moves on to the next month. */
    public GoldMonth closeMonth() {
        monthActivity.forEach((account, activity) -> positions.merge(account, new Position(activity.net, activity.lastMicros),
                (was, change) -> new Position(GoldValues.addCents(was.closingCents, change.closingCents),
                        Math.max(was.lastMicros, change.lastMicros))));

        List<AccountBalance> balances = new ArrayList<>(positions.size());
        TreeMap<String, CurrencyBalances> byCurrency = new TreeMap<>();
        positions.forEach((account, position) -> {
            MonthActivity activity = monthActivity.get(account);
            long net = activity == null ? 0 : activity.net;
            long count = activity == null ? 0 : activity.count;
            balances.add(new AccountBalance(account.accountId(), account.currency(), month, GoldValues.money(position.closingCents),
                    GoldValues.money(net), count, GoldValues.instant(position.lastMicros)));
            CurrencyBalances totals = byCurrency.computeIfAbsent(account.currency(), k -> new CurrencyBalances());
            totals.closingCents = GoldValues.addCents(totals.closingCents, position.closingCents);
            if (position.closingCents != 0) {
                totals.withBalance++;
            }
            if (activity != null) {
                totals.active++;
            }
        });

        List<MonthlyReport> reports = new ArrayList<>(byCurrency.size());
        byCurrency.forEach((currency, totals) -> {
            CurrencyActivity activity = currencyActivity.getOrDefault(currency, new CurrencyActivity());
            reports.add(new MonthlyReport(month, currency, activity.count, totals.active, GoldValues.money(activity.credits),
                    GoldValues.money(activity.debits), GoldValues.money(GoldValues.addCents(activity.credits, activity.debits)),
                    GoldValues.money(totals.closingCents), totals.withBalance));
        });

        List<TransactionSummary> summaries = new ArrayList<>(typeActivity.size());
        typeActivity.forEach((key, activity) -> summaries.add(new TransactionSummary(month, key.currency(), key.transactionType(),
                activity.count, GoldValues.money(activity.total), GoldValues.money(activity.min), GoldValues.money(activity.max),
                GoldValues.average(activity.total, activity.count))));

        GoldMonth closed = new GoldMonth(month, monthTransactions, balances, reports, summaries);
        monthActivity.clear();
        currencyActivity.clear();
        typeActivity.clear();
        monthTransactions = 0;
        month = month.plusMonths(1);
        return closed;
    }

    private record AccountKey(String accountId, String currency) {
    }

    private record TypeKey(String currency, String transactionType) {
    }

    /** An account's month-end position: closing balance and latest timestamp so far. */
    private record Position(long closingCents, long lastMicros) {
    }

    private static final class MonthActivity {
        long net;
        long count;
        long lastMicros = Long.MIN_VALUE;

        void add(long cents, long micros) {
            net = GoldValues.addCents(net, cents);
            count++;
            lastMicros = Math.max(lastMicros, micros);
        }
    }

    private static final class CurrencyActivity {
        long count;
        long credits;
        long debits;

        void add(long cents) {
            count++;
            if (cents > 0) {
                credits = GoldValues.addCents(credits, cents);
            } else if (cents < 0) {
                debits = GoldValues.addCents(debits, cents);
            }
        }
    }

    private static final class CurrencyBalances {
        long closingCents;
        long active;
        long withBalance;
    }

    private static final class TypeActivity {
        long count;
        long total;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;

        void add(long cents) {
            count++;
            total = GoldValues.addCents(total, cents);
            min = Math.min(min, cents);
            max = Math.max(max, cents);
        }
    }
}
