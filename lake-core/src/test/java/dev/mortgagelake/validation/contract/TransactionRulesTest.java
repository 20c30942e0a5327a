package dev.mortgagelake.validation.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.mortgagelake.validation.contract.RowErrorCode.AMOUNT_FORMAT;
import static dev.mortgagelake.validation.contract.RowErrorCode.AMOUNT_PRECISION;
import static dev.mortgagelake.validation.contract.RowErrorCode.AMOUNT_SCALE;
import static dev.mortgagelake.validation.contract.RowErrorCode.CURRENCY_FORMAT;
import static dev.mortgagelake.validation.contract.RowErrorCode.CURRENCY_NOT_ALLOWED;
import static dev.mortgagelake.validation.contract.RowErrorCode.REQUIRED;
import static dev.mortgagelake.validation.contract.RowErrorCode.TIMESTAMP_FORMAT;
import static dev.mortgagelake.validation.contract.RowErrorCode.TIMESTAMP_IN_FUTURE;
import static dev.mortgagelake.validation.contract.RowErrorCode.TIMESTAMP_NO_ZONE;
import static dev.mortgagelake.validation.contract.RowErrorCode.TIMESTAMP_PRECISION;
import static dev.mortgagelake.validation.contract.RowErrorCode.TIMESTAMP_TOO_EARLY;
import static dev.mortgagelake.validation.contract.RowErrorCode.WHITESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransactionRulesTest {

    private static final Instant NOW = Instant.parse("2026-01-21T12:00:00Z");
    private static final TransactionRules RULES =
            new TransactionRules(CommonIsoCurrencies.instance(), NOW.plusSeconds(86_400), "validation time + PT24H");

    private static final String ID = "T1";
    private static final String CUSTOMER = "C1";
    private static final String AMOUNT = "12.34";
    private static final String CURRENCY = "EUR";
    private static final String TS = "2024-01-15T10:30:00Z";

    /** One row per case: the five values and the exact set of codes expected (empty = valid). */
    static Stream<Arguments> cases() {
        return Stream.of(
                row("valid", ID, CUSTOMER, AMOUNT, CURRENCY, TS),
                row("valid negative cent", ID, CUSTOMER, "-0.01", CURRENCY, TS),
                row("valid 16 integer digits", ID, CUSTOMER, "1234567890123456.78", CURRENCY, TS),
                row("valid leading zeros do not count", ID, CUSTOMER, "00001234567890123456.78", CURRENCY, TS),
                row("valid integer amount", ID, CUSTOMER, "100", CURRENCY, TS),
                row("valid one decimal", ID, CUSTOMER, "100.5", CURRENCY, TS),
                row("valid offset timestamp", ID, CUSTOMER, AMOUNT, CURRENCY, "2024-01-15T10:30:00+05:30"),
                row("valid microseconds", ID, CUSTOMER, AMOUNT, CURRENCY, "2024-01-15T10:30:00.123456Z"),
                row("valid nanosecond zeros", ID, CUSTOMER, AMOUNT, CURRENCY, "2024-01-15T10:30:00.123456000Z"),
                row("valid epoch", ID, CUSTOMER, AMOUNT, CURRENCY, "1970-01-01T00:00:00Z"),
                row("valid skew boundary", ID, CUSTOMER, AMOUNT, CURRENCY, "2026-01-22T12:00:00Z"),
                row("empty transaction id", "", CUSTOMER, AMOUNT, CURRENCY, TS, REQUIRED),
                row("blank customer id", ID, "   ", AMOUNT, CURRENCY, TS, REQUIRED, WHITESPACE),
                row("absent value", ID, CUSTOMER, null, CURRENCY, TS, REQUIRED),
                row("id with trailing space", "T1 ", CUSTOMER, AMOUNT, CURRENCY, TS, WHITESPACE),
                row("tab before amount", ID, CUSTOMER, "\t12.34", CURRENCY, TS, WHITESPACE),
                row("non-breaking space after currency", ID, CUSTOMER, AMOUNT, "EUR\u00A0", TS, WHITESPACE),
                row("whitespace and bad amount inside", ID, CUSTOMER, " 1.234", CURRENCY, TS, WHITESPACE, AMOUNT_SCALE),
                row("three decimals", ID, CUSTOMER, "1.234", CURRENCY, TS, AMOUNT_SCALE),
                row("trailing zero third decimal is still not rounded", ID, CUSTOMER, "1.230", CURRENCY, TS, AMOUNT_SCALE),
                row("17 integer digits", ID, CUSTOMER, "12345678901234567", CURRENCY, TS, AMOUNT_PRECISION),
                row("precision and scale together", ID, CUSTOMER, "12345678901234567.123", CURRENCY, TS, AMOUNT_PRECISION, AMOUNT_SCALE),
                row("exponent", ID, CUSTOMER, "1e3", CURRENCY, TS, AMOUNT_FORMAT),
                row("NaN", ID, CUSTOMER, "NaN", CURRENCY, TS, AMOUNT_FORMAT),
                row("Infinity", ID, CUSTOMER, "-Infinity", CURRENCY, TS, AMOUNT_FORMAT),
                row("thousands separator", ID, CUSTOMER, "1,234.56", CURRENCY, TS, AMOUNT_FORMAT),
                row("currency symbol", ID, CUSTOMER, "€12.34", CURRENCY, TS, AMOUNT_FORMAT),
                row("plus sign", ID, CUSTOMER, "+12.34", CURRENCY, TS, AMOUNT_FORMAT),
                row("bare decimal point", ID, CUSTOMER, ".5", CURRENCY, TS, AMOUNT_FORMAT),
                row("trailing decimal point", ID, CUSTOMER, "5.", CURRENCY, TS, AMOUNT_FORMAT),
                row("lone minus", ID, CUSTOMER, "-", CURRENCY, TS, AMOUNT_FORMAT),
                row("decimal comma", ID, CUSTOMER, "12,34", CURRENCY, TS, AMOUNT_FORMAT),
                row("lower-case currency", ID, CUSTOMER, AMOUNT, "eur", TS, CURRENCY_FORMAT),
                row("four-letter currency", ID, CUSTOMER, AMOUNT, "EURO", TS, CURRENCY_FORMAT),
                row("numeric currency", ID, CUSTOMER, AMOUNT, "978", TS, CURRENCY_FORMAT),
                row("currency not on the allow-list", ID, CUSTOMER, AMOUNT, "XYZ", TS, CURRENCY_NOT_ALLOWED),
                row("timestamp without zone", ID, CUSTOMER, AMOUNT, CURRENCY, "2024-01-15T10:30:00", TIMESTAMP_NO_ZONE),
                row("date only", ID, CUSTOMER, AMOUNT, CURRENCY, "2024-01-15", TIMESTAMP_FORMAT),
                row("US date", ID, CUSTOMER, AMOUNT, CURRENCY, "01/15/2024 10:30", TIMESTAMP_FORMAT),
                row("February 30", ID, CUSTOMER, AMOUNT, CURRENCY, "2024-02-30T10:30:00Z", TIMESTAMP_FORMAT),
                row("hour 24", ID, CUSTOMER, AMOUNT, CURRENCY, "2024-01-15T24:00:00Z", TIMESTAMP_FORMAT),
                row("epoch seconds", ID, CUSTOMER, AMOUNT, CURRENCY, "1705314600", TIMESTAMP_FORMAT),
                row("nanoseconds", ID, CUSTOMER, AMOUNT, CURRENCY, "2024-01-15T10:30:00.123456789Z", TIMESTAMP_PRECISION),
                row("before the epoch", ID, CUSTOMER, AMOUNT, CURRENCY, "1969-12-31T23:59:59Z", TIMESTAMP_TOO_EARLY),
                row("offset pulls it before the epoch", ID, CUSTOMER, AMOUNT, CURRENCY, "1970-01-01T00:30:00+01:00", TIMESTAMP_TOO_EARLY),
                row("beyond the skew", ID, CUSTOMER, AMOUNT, CURRENCY, "2026-01-22T12:00:00.000001Z", TIMESTAMP_IN_FUTURE),
                row("everything wrong at once", "", " C1", "1,0", "usd", "yesterday",
                        REQUIRED, WHITESPACE, AMOUNT_FORMAT, CURRENCY_FORMAT, TIMESTAMP_FORMAT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsExactlyTheViolatedRules(String name, String id, String customer, String amount, String currency, String timestamp,
                                        Set<RowErrorCode> expected) {
        RowVerdict verdict = RULES.check(id, customer, amount, currency, timestamp);

        Set<RowErrorCode> actual = verdict.errors().stream().map(RowError::code)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(RowErrorCode.class)));
        assertThat(actual).as(verdict.describe()).isEqualTo(expected);
        assertThat(verdict.isValid()).isEqualTo(expected.isEmpty());
        assertThat(verdict.describe()).isEqualTo(verdict.errors().stream()
                .map(e -> e.code() + ": " + e.message()).collect(Collectors.joining("; ")));
    }

    @Test
    void validRowsCarryTheExactAmountAndUtcInstant() {
        RowVerdict large = RULES.check(ID, CUSTOMER, "1234567890123456.78", CURRENCY, "2024-03-31T23:30:00-01:00");
        assertThat(large.amount()).isEqualTo(new BigDecimal("1234567890123456.78"));
        assertThat(large.amountUnscaled()).isEqualTo(123456789012345678L);
        assertThat(large.timestamp()).isEqualTo(Instant.parse("2024-04-01T00:30:00Z"));

        RowVerdict cent = RULES.check(ID, CUSTOMER, "-0.01", CURRENCY, "2024-01-15T10:30:00.000123Z");
        assertThat(cent.amount()).isEqualTo(new BigDecimal("-0.01"));
        assertThat(cent.timestampMicros()).isEqualTo(Instant.parse("2024-01-15T10:30:00Z").getEpochSecond() * 1_000_000L + 123);

        assertThat(RULES.check(ID, CUSTOMER, "7.5", CURRENCY, TS).amount()).isEqualTo(new BigDecimal("7.50"));
        assertThat(RULES.check(ID, CUSTOMER, "-0", CURRENCY, TS).amountUnscaled()).isZero();
    }

    @Test
    void messagesNameTheColumnAndQuoteTheValue() {
        RowVerdict verdict = RULES.check(ID, CUSTOMER, "1,234.56", "eur", "2024-01-15T10:30:00");

        assertThat(verdict.errors()).extracting(RowError::column)
                .containsExactly(ContractV1.TRANSACTION_AMOUNT, ContractV1.CURRENCY, ContractV1.TRANSACTION_TIMESTAMP);
        assertThat(verdict.describe())
                .contains("AMOUNT_FORMAT: TransactionAmount '1,234.56' is not a plain decimal")
                .contains("CURRENCY_FORMAT: Currency 'eur' is not an ISO-4217 code")
                .contains("TIMESTAMP_NO_ZONE: TransactionTimestamp '2024-01-15T10:30:00' has no zone");
        assertThat(verdict.errorCodes()).containsExactly("AMOUNT_FORMAT", "CURRENCY_FORMAT", "TIMESTAMP_NO_ZONE");
    }

    @Test
    void errorCodesAreDistinctButEveryViolationIsDescribed() {
        RowVerdict verdict = RULES.check("", "", AMOUNT, CURRENCY, TS);

        assertThat(verdict.errorCodes()).containsExactly("REQUIRED");
        assertThat(verdict.errors()).hasSize(2);
        assertThat(verdict.describe())
                .isEqualTo("REQUIRED: TransactionID is required but empty; REQUIRED: CustomerID is required but empty");
    }

    @Test
    void shownValuesAreEscapedAndCut() {
        assertThat(TransactionRules.show("a\nb'c")).isEqualTo("'a\\nb\\'c'");
        assertThat(TransactionRules.show("x".repeat(100))).isEqualTo("'" + "x".repeat(64) + "'... (100 chars)");
        assertThat(TransactionRules.show(null)).isEqualTo("(absent)");
    }

    @Test
    void fieldCountVerdictIsTheOnlyError() {
        RowVerdict verdict = TransactionRules.fieldCountMismatch(5, 4);

        assertThat(verdict.errorCodes()).containsExactly("FIELD_COUNT");
        assertThat(verdict.describe()).isEqualTo("FIELD_COUNT: record has 4 field(s) but the header has 5");
        assertThatThrownBy(verdict::amount).isInstanceOf(IllegalStateException.class);
    }

    private static Arguments row(String name, String id, String customer, String amount, String currency, String timestamp,
                                 RowErrorCode... expected) {
        Set<RowErrorCode> codes = EnumSet.noneOf(RowErrorCode.class);
        codes.addAll(Arrays.asList(expected));
        return Arguments.of(name, id, customer, amount, currency, timestamp, codes);
    }
}
