package dev.mortgagelake.gold;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * The value rules of Gold v1: money is an exact DECIMAL(18,2) held as cents, averages are
 * scale 4 rounded HALF_EVEN (stored as DECIMAL(20,4)), times are UTC microseconds. Sums are exact: a sum that leaves
 * DECIMAL(18,2) fails loudly instead of wrapping.
 */
public final class GoldValues {

    /** DECIMAL(18,x) holds at most 18 digits: every unscaled value is below 10^18 in magnitude. */
    static final long DECIMAL_18_LIMIT = 1_000_000_000_000_000_000L;

    private GoldValues() {
    }

    /** {@code a + b}, exactly, within DECIMAL(18,2). */
    static long addCents(long a, long b) {
        return checked(Math.addExact(a, b));
    }

    /** {@code cents} if it fits DECIMAL(18,2). */
    static long checked(long cents) {
        if (cents <= -DECIMAL_18_LIMIT || cents >= DECIMAL_18_LIMIT) {
            throw new ArithmeticException("Sum of " + BigDecimal.valueOf(cents, 2) + " does not fit DECIMAL(18,2)");
        }
        return cents;
    }

    /** Cents as DECIMAL(18,2). */
    public static BigDecimal money(long cents) {
        return BigDecimal.valueOf(cents, 2);
    }

    /** The exact quotient {@code totalCents / count} (in currency units) rounded HALF_EVEN to 4 decimals. */
    public static BigDecimal average(long totalCents, long count) {
        if (count <= 0) {
            throw new IllegalArgumentException("An average needs at least one value, not " + count);
        }
        return BigDecimal.valueOf(totalCents, 2).divide(BigDecimal.valueOf(count), 4, RoundingMode.HALF_EVEN);
    }

    /** Microseconds since the epoch of an instant (sub-microsecond digits must be zero). */
    public static long micros(Instant instant) {
        if (instant.getNano() % 1000 != 0) {
            throw new IllegalArgumentException("Timestamps are kept to the microsecond: " + instant);
        }
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    /** The instant of microseconds since the epoch. */
    public static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }
}
