package dev.mortgagelake.validation.contract;

/**
 * Strict parsing of a plain decimal into DECIMAL(18,2), without regular expressions or intermediate
 * objects. Accepted: an optional leading {@code -}, one or more ASCII digits, optionally {@code .}
 * followed by one or two ASCII digits. Everything else (a {@code +} sign, exponents, {@code NaN},
 * {@code Infinity}, thousands separators, currency symbols, spaces, non-ASCII digits, a bare or
 * trailing {@code .}) is a format error. Leading zeros are allowed and do not count as precision.
 */
public final class Decimal182 {

    /** Maximum number of significant integer digits: 18 digits of precision minus 2 of scale. */
    public static final int MAX_INTEGER_DIGITS = 16;
    public static final int SCALE = 2;
    public static final int PRECISION = 18;

    /** The outcome of {@link #parse}: all problems found, and the unscaled value when there is none. */
    public record Parsed(boolean formatError, int fractionDigits, int integerDigits, long unscaled) {

        public boolean scaleError() {
            return !formatError && fractionDigits > SCALE;
        }

        public boolean precisionError() {
            return !formatError && integerDigits > MAX_INTEGER_DIGITS;
        }

        public boolean ok() {
            return !formatError && !scaleError() && !precisionError();
        }
    }

    private Decimal182() {
    }

    /**
     * Parses {@code text}. The unscaled value (cents) is only meaningful when {@link Parsed#ok()};
     * a value with too many decimals is never rounded.
     */
    public static Parsed parse(CharSequence text) {
        int length = text.length();
        int i = 0;
        if (i < length && text.charAt(i) == '-') {
            i++;
        }
        boolean negative = i == 1;
        int integerStart = i;
        while (i < length && isDigit(text.charAt(i))) {
            i++;
        }
        int integerEnd = i;
        if (integerEnd == integerStart) {
            return new Parsed(true, 0, 0, 0);
        }
        int fractionStart = -1;
        int fractionEnd = -1;
        if (i < length && text.charAt(i) == '.') {
            i++;
            fractionStart = i;
            while (i < length && isDigit(text.charAt(i))) {
                i++;
            }
            fractionEnd = i;
            if (fractionEnd == fractionStart) {
                return new Parsed(true, 0, 0, 0);
            }
        }
        if (i != length) {
            return new Parsed(true, 0, 0, 0);
        }
        int firstSignificant = integerStart;
        while (firstSignificant < integerEnd - 1 && text.charAt(firstSignificant) == '0') {
            firstSignificant++;
        }
        int integerDigits = integerEnd - firstSignificant;
        if (integerDigits == 1 && text.charAt(firstSignificant) == '0') {
            integerDigits = 0;
        }
        int fractionDigits = fractionStart < 0 ? 0 : fractionEnd - fractionStart;
        if (integerDigits > MAX_INTEGER_DIGITS || fractionDigits > SCALE) {
            return new Parsed(false, fractionDigits, integerDigits, 0);
        }
        long unscaled = 0;
        for (int p = firstSignificant; p < integerEnd; p++) {
            unscaled = unscaled * 10 + (text.charAt(p) - '0');
        }
        for (int d = 0; d < SCALE; d++) {
            int p = fractionStart + d;
            unscaled = unscaled * 10 + (fractionStart >= 0 && p < fractionEnd ? text.charAt(p) - '0' : 0);
        }
        return new Parsed(false, fractionDigits, integerDigits, negative ? -unscaled : unscaled);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
