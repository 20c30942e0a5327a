package dev.mortgagelake.gold;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoldCalculatorTest {

    private static final YearMonth JAN = YearMonth.of(2024, 1);
    private static final YearMonth FEB = YearMonth.of(2024, 2);
    private static final YearMonth MAR = YearMonth.of(2024, 3);

    private static SilverTransaction tx(String account, String amount, String at) {
        return SilverTransaction.v1(account, "EUR", new BigDecimal(amount), Instant.parse(at));
    }

    @Test
    void carriesBalancesForwardThroughAMonthWithoutTransactions() {
        GoldCalculator calculator = GoldCalculator.startingAt(JAN);
        calculator.add(tx("A", "10.00", "2024-01-05T00:00:00Z"));
        calculator.add(tx("A", "-2.50", "2024-01-31T23:59:59Z"));
        calculator.add(tx("B", "-1.00", "2024-01-10T00:00:00Z"));
        GoldMonth january = calculator.closeMonth();
        GoldMonth february = calculator.closeMonth();

        assertThat(january.accountBalances()).containsExactly(
                new AccountBalance("A", "EUR", JAN, new BigDecimal("7.50"), new BigDecimal("7.50"), 2, Instant.parse("2024-01-31T23:59:59Z")),
                new AccountBalance("B", "EUR", JAN, new BigDecimal("-1.00"), new BigDecimal("-1.00"), 1, Instant.parse("2024-01-10T00:00:00Z")));
        assertThat(january.monthlyReports()).containsExactly(new MonthlyReport(JAN, "EUR", 3, 2, new BigDecimal("10.00"),
                new BigDecimal("-3.50"), new BigDecimal("6.50"), new BigDecimal("6.50"), 2));
        assertThat(january.transactionSummaries()).containsExactly(new TransactionSummary(JAN, "EUR", "UNKNOWN", 3,
                new BigDecimal("6.50"), new BigDecimal("-2.50"), new BigDecimal("10.00"), new BigDecimal("2.1667")));

        assertThat(february.accountBalances()).extracting(AccountBalance::closingBalance, AccountBalance::netChange,
                AccountBalance::transactionCount).containsExactly(
                org.assertj.core.groups.Tuple.tuple(new BigDecimal("7.50"), new BigDecimal("0.00"), 0L),
                org.assertj.core.groups.Tuple.tuple(new BigDecimal("-1.00"), new BigDecimal("0.00"), 0L));
        assertThat(february.monthlyReports()).containsExactly(new MonthlyReport(FEB, "EUR", 0, 0, new BigDecimal("0.00"),
                new BigDecimal("0.00"), new BigDecimal("0.00"), new BigDecimal("6.50"), 2));
        assertThat(february.transactionSummaries()).isEmpty();
    }

    @Test
    void continuingFromAMonthEndStateEqualsComputingFromTheStart() {
        List<SilverTransaction> january = List.of(tx("A", "1.00", "2024-01-01T00:00:00Z"), tx("B", "5.00", "2024-01-02T00:00:00Z"));
        List<SilverTransaction> march = List.of(tx("A", "-1.00", "2024-03-01T00:00:00Z"), tx("C", "0.01", "2024-03-02T00:00:00Z"));

        GoldCalculator full = GoldCalculator.startingAt(JAN);
        january.forEach(full::add);
        full.closeMonth();
        GoldMonth fullFebruary = full.closeMonth();
        march.forEach(full::add);
        GoldMonth fullMarch = full.closeMonth();

        GoldCalculator incremental = GoldCalculator.after(FEB, new ArrayList<>(fullFebruary.accountBalances()));
        march.forEach(incremental::add);

        assertThat(incremental.closeMonth()).isEqualTo(fullMarch);
        assertThat(fullMarch.monthlyReports().get(0).accountsWithBalance()).isEqualTo(2); // A is back to zero
    }

    @Test
    void averagesRoundHalfToEvenAndSumsStayExact() {
        GoldCalculator calculator = GoldCalculator.startingAt(MAR);
        for (int i = 0; i < 15; i++) {
            calculator.add(tx("A", "1.00", "2024-03-10T00:00:00Z"));
        }
        calculator.add(tx("A", "-14.98", "2024-03-11T00:00:00Z"));

        assertThat(calculator.closeMonth().transactionSummaries().get(0).avgAmount()).isEqualByComparingTo("0.0012");
        assertThat(GoldValues.average(-2, 16)).isEqualTo(new BigDecimal("-0.0012"));
        assertThat(GoldValues.average(6, 16)).isEqualTo(new BigDecimal("0.0038"));
    }

    @Test
    void rejectsARowOfAnotherMonthAndASumBeyondDecimal18() {
        GoldCalculator calculator = GoldCalculator.startingAt(MAR);
        assertThatThrownBy(() -> calculator.add(tx("A", "1.00", "2024-02-29T23:59:59.999999Z")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2024-02");
        calculator.add(SilverTransaction.v1("A", "EUR", 999_999_999_999_999_999L, 1_709_251_200_000_000L));
        assertThatThrownBy(() -> calculator.add(SilverTransaction.v1("A", "EUR", 1L, 1_709_251_200_000_000L)))
                .isInstanceOf(ArithmeticException.class).hasMessageContaining("DECIMAL(18,2)");
    }
}
