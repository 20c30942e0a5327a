package dev.mortgagelake.validation.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class Decimal182Test {

    @ParameterizedTest
    @CsvSource({
            "0, 0", "-0, 0", "0.00, 0", "1, 100", "1.5, 150", "1.05, 105", "-1.05, -105", "-0.01, -1",
            "9999999999999999.99, 999999999999999999", "-9999999999999999.99, -999999999999999999", "007.10, 710"})
    void parsesExactCents(String text, long cents) {
        Decimal182.Parsed parsed = Decimal182.parse(text);
        assertThat(parsed.ok()).isTrue();
        assertThat(parsed.unscaled()).isEqualTo(cents);
    }

    @Test
    void agreesWithBigDecimalOnRandomAmounts() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 5_000; i++) {
            long cents = random.nextLong(-999_999_999_999_999_999L, 1_000_000_000_000_000_000L);
            String text = BigDecimal.valueOf(cents, 2).toPlainString();
            assertThat(Decimal182.parse(text).unscaled()).as(text).isEqualTo(cents);
        }
    }

    @Test
    void classifiesProblems() {
        assertThat(Decimal182.parse("1.234").scaleError()).isTrue();
        assertThat(Decimal182.parse("12345678901234567").precisionError()).isTrue();
        assertThat(Decimal182.parse("0000000000000000012.00").ok()).isTrue();
        assertThat(Decimal182.parse("").formatError()).isTrue();
        assertThat(Decimal182.parse("١٢").formatError()).isTrue();
        assertThat(Decimal182.parse("1.2.3").formatError()).isTrue();
        assertThat(Decimal182.parse("--1").formatError()).isTrue();
    }
}
