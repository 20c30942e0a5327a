package dev.mortgagelake.gold;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Objects;

/**
 * The part of one Silver row that Gold needs.
 *
 * @param accountId       {@code customer_id} (an account is a customer id)
 * @param currency        ISO-4217 code
 * @param amountCents     {@code transaction_amount} as the unscaled DECIMAL(18,2) value (cents)
 * @param timestampMicros {@code transaction_timestamp}: UTC business time, microseconds since the epoch
 * @param transactionType the transaction type; {@link #UNKNOWN_TYPE} where the contract version has
 *                        none (Silver v1.0 files) or the value is missing
 */
public record SilverTransaction(String accountId, String currency, long amountCents, long timestampMicros, String transactionType) {

    /** The type of a transaction whose contract version has no type, or whose type is missing. */
    public static final String UNKNOWN_TYPE = "UNKNOWN";

    private static final long MICROS_PER_DAY = 86_400_000_000L;

    public SilverTransaction {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(currency, "currency");
        transactionType = transactionType == null || transactionType.isBlank() ? UNKNOWN_TYPE : transactionType;
    }

    /** A contract-v1 transaction (no type). */
    public static SilverTransaction v1(String accountId, String currency, long amountCents, long timestampMicros) {
        return new SilverTransaction(accountId, currency, amountCents, timestampMicros, UNKNOWN_TYPE);
    }

    /** A contract-v1 transaction from an exact amount (scale at most 2) and an instant. */
    public static SilverTransaction v1(String accountId, String currency, BigDecimal amount, Instant timestamp) {
        return v1(accountId, currency, amount.setScale(2).unscaledValue().longValueExact(), GoldValues.micros(timestamp));
    }

    /** The amount as DECIMAL(18,2). */
    public BigDecimal amount() {
        return BigDecimal.valueOf(amountCents, 2);
    }

    /** {@code as_of_month}: the UTC year and month of the business timestamp. */
    public YearMonth asOfMonth() {
        return monthOf(timestampMicros);
    }

    /** The UTC year and month of a timestamp in microseconds. */
    public static YearMonth monthOf(long timestampMicros) {
        return YearMonth.from(LocalDate.ofEpochDay(Math.floorDiv(timestampMicros, MICROS_PER_DAY)));
    }
}
