package dev.mortgagelake.validation.contract;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static dev.mortgagelake.validation.contract.ContractV1.CURRENCY;
import static dev.mortgagelake.validation.contract.ContractV1.CUSTOMER_ID;
import static dev.mortgagelake.validation.contract.ContractV1.TRANSACTION_AMOUNT;
import static dev.mortgagelake.validation.contract.ContractV1.TRANSACTION_ID;
import static dev.mortgagelake.validation.contract.ContractV1.TRANSACTION_TIMESTAMP;
import static dev.mortgagelake.validation.contract.ContractV1.TRANSACTION_TYPE;

/**
 * The row rules of contract v1. Values are checked exactly as read: nothing is trimmed, rounded,
 * re-cased or defaulted, and every violated rule is reported (a record may fail several).
 *
 * <ul>
 *   <li>Every column is required: empty or whitespace-only is {@link RowErrorCode#REQUIRED}.</li>
 *   <li>Leading or trailing whitespace is {@link RowErrorCode#WHITESPACE}; the value inside the
 *       whitespace is still checked, so the record lists every problem it has.</li>
 *   <li>{@code TransactionAmount}: see {@link Decimal182} ({@code AMOUNT_FORMAT}, {@code AMOUNT_SCALE},
 *       {@code AMOUNT_PRECISION}).</li>
 *   <li>{@code Currency}: three upper-case ASCII letters ({@code CURRENCY_FORMAT}) on the allow-list
 *       ({@code CURRENCY_NOT_ALLOWED}).</li>
 *   <li>{@code TransactionTimestamp}: ISO-8601 with {@code Z} or an offset ({@code TIMESTAMP_FORMAT},
 *       {@code TIMESTAMP_NO_ZONE}), at most microsecond precision ({@code TIMESTAMP_PRECISION}), not
 *       before the epoch ({@code TIMESTAMP_TOO_EARLY}) and not after {@code latestAllowed}
 *       ({@code TIMESTAMP_IN_FUTURE}).</li>
 *   <li>{@code TransactionType} (contract v1.1, optional): absent (the file has no such column) or empty
 *       is the type {@link ContractV1#UNKNOWN_TRANSACTION_TYPE}, never a guessed one; any other value must
 *       be on the transaction-type enumeration, exactly ({@code TRANSACTION_TYPE_UNKNOWN_VALUE}).</li>
 * </ul>
 *
 * Immutable and thread-safe; build one per run, since {@code latestAllowed} derives from the run's
 * validation time.
 */
public final class TransactionRules {

    private static final int MAX_SHOWN_CHARS = 64;

    private final CurrencyAllowList currencies;
    private final TransactionTypes transactionTypes;
    private final Instant latestAllowed;
    private final String latestAllowedReason;

    /**
     * @param currencies          the allow-list
     * @param latestAllowed       the latest acceptable business time (validation time plus skew)
     * @param latestAllowedReason how {@code latestAllowed} was derived, quoted in messages
     *                            (e.g. {@code "validation time 2026-01-21T12:00:00Z + PT24H"})
     */
    public TransactionRules(CurrencyAllowList currencies, Instant latestAllowed, String latestAllowedReason) {
        this(currencies, StandardTransactionTypes.instance(), latestAllowed, latestAllowedReason);
    }

    /**
     * @param currencies          the allow-list
     * @param transactionTypes    the transaction-type enumeration
     * @param latestAllowed       the latest acceptable business time (validation time plus skew)
     * @param latestAllowedReason how {@code latestAllowed} was derived, quoted in messages
     */
    public TransactionRules(CurrencyAllowList currencies, TransactionTypes transactionTypes, Instant latestAllowed,
                            String latestAllowedReason) {
        this.currencies = Objects.requireNonNull(currencies, "currencies");
        this.transactionTypes = Objects.requireNonNull(transactionTypes, "transactionTypes");
        this.latestAllowed = Objects.requireNonNull(latestAllowed, "latestAllowed");
        this.latestAllowedReason = Objects.requireNonNull(latestAllowedReason, "latestAllowedReason");
    }

    /** The verdict for a record whose field count differs from the header's: no other rule can run. */
    public static RowVerdict fieldCountMismatch(int headerFields, int recordFields) {
        return RowVerdict.invalid(List.of(new RowError(RowErrorCode.FIELD_COUNT, null,
                "record has " + recordFields + " field(s) but the header has " + headerFields)));
    }

    /** The verdict for a record longer than the row size limit: its values are not checked further. */
    public static RowVerdict rowTooLarge(long recordChars, int maxRowChars) {
        return RowVerdict.invalid(List.of(new RowError(RowErrorCode.ROW_TOO_LARGE, null,
                "record has " + recordChars + " characters; the row size limit is " + maxRowChars)));
    }

    /**
     * The verdict for a valid record whose {@code TransactionID} is already taken by other content.
     *
     * @param earlier where the earlier row is (e.g. {@code "line 7 of this file"} or {@code "run R (published)"})
     */
    public static RowVerdict duplicateIdConflict(String transactionId, String earlier) {
        return RowVerdict.invalid(List.of(new RowError(RowErrorCode.DUPLICATE_ID_CONFLICT, TRANSACTION_ID,
                TRANSACTION_ID + " " + show(transactionId) + " was already seen with other content (" + earlier
                        + "); the earlier row stays")));
    }

    /**
     * Checks the five required contract values of one record of a file without a {@code TransactionType}
     * column (any may be {@code null}: treated as missing); a valid record's type is {@code UNKNOWN}.
     */
    public RowVerdict check(String transactionId, String customerId, String amount, String currency, String timestamp) {
        return check(transactionId, customerId, amount, currency, timestamp, null);
    }

    /**
     * Checks the contract values of one record: the five required ones (any may be {@code null}: treated
     * as missing) and {@code transactionType} ({@code null} when the file has no such column).
     */
    public RowVerdict check(String transactionId, String customerId, String amount, String currency, String timestamp,
                            String transactionType) {
        List<RowError> errors = null;
        errors = checkIdentifier(TRANSACTION_ID, transactionId, errors);
        errors = checkIdentifier(CUSTOMER_ID, customerId, errors);

        long unscaled = 0;
        String amountCore = core(amount);
        errors = checkPresence(TRANSACTION_AMOUNT, amount, amountCore, errors);
        if (amountCore != null) {
            Decimal182.Parsed parsed = Decimal182.parse(amountCore);
            if (parsed.formatError()) {
                errors = add(errors, RowErrorCode.AMOUNT_FORMAT, TRANSACTION_AMOUNT, TRANSACTION_AMOUNT + " " + show(amount)
                        + " is not a plain decimal (optional '-', digits, optional '.' and 1-2 digits)");
            }
            if (parsed.scaleError()) {
                errors = add(errors, RowErrorCode.AMOUNT_SCALE, TRANSACTION_AMOUNT, TRANSACTION_AMOUNT + " " + show(amount)
                        + " has " + parsed.fractionDigits() + " decimal places; DECIMAL(18,2) holds at most 2 (never rounded)");
            }
            if (parsed.precisionError()) {
                errors = add(errors, RowErrorCode.AMOUNT_PRECISION, TRANSACTION_AMOUNT, TRANSACTION_AMOUNT + " " + show(amount)
                        + " has " + parsed.integerDigits() + " integer digits; DECIMAL(18,2) holds at most 16");
            }
            unscaled = parsed.unscaled();
        }

        String currencyCore = core(currency);
        errors = checkPresence(CURRENCY, currency, currencyCore, errors);
        if (currencyCore != null) {
            if (!isThreeUpperCaseLetters(currencyCore)) {
                errors = add(errors, RowErrorCode.CURRENCY_FORMAT, CURRENCY, CURRENCY + " " + show(currency)
                        + " is not an ISO-4217 code of three upper-case letters");
            } else if (!currencies.allows(currencyCore)) {
                errors = add(errors, RowErrorCode.CURRENCY_NOT_ALLOWED, CURRENCY, CURRENCY + " " + show(currency)
                        + " is not on the currency allow-list");
            }
        }

        long micros = 0;
        String timestampCore = core(timestamp);
        errors = checkPresence(TRANSACTION_TIMESTAMP, timestamp, timestampCore, errors);
        if (timestampCore != null) {
            Instant instant = IsoTimestamps.parseOffsetDateTime(timestampCore);
            if (instant == null) {
                if (IsoTimestamps.isLocalDateTime(timestampCore)) {
                    errors = add(errors, RowErrorCode.TIMESTAMP_NO_ZONE, TRANSACTION_TIMESTAMP, TRANSACTION_TIMESTAMP + " "
                            + show(timestamp) + " has no zone: add 'Z' or an offset such as '+01:00'");
                } else {
                    errors = add(errors, RowErrorCode.TIMESTAMP_FORMAT, TRANSACTION_TIMESTAMP, TRANSACTION_TIMESTAMP + " "
                            + show(timestamp) + " is not an ISO-8601 date-time with an offset (e.g. 2024-01-31T09:15:00Z)");
                }
            } else {
                if (instant.getNano() % 1_000 != 0) {
                    errors = add(errors, RowErrorCode.TIMESTAMP_PRECISION, TRANSACTION_TIMESTAMP, TRANSACTION_TIMESTAMP + " "
                            + show(timestamp) + " is more precise than microseconds (never truncated)");
                }
                if (instant.isBefore(Instant.EPOCH)) {
                    errors = add(errors, RowErrorCode.TIMESTAMP_TOO_EARLY, TRANSACTION_TIMESTAMP, TRANSACTION_TIMESTAMP + " "
                            + show(timestamp) + " is before 1970-01-01T00:00:00Z");
                } else if (instant.isAfter(latestAllowed)) {
                    errors = add(errors, RowErrorCode.TIMESTAMP_IN_FUTURE, TRANSACTION_TIMESTAMP, TRANSACTION_TIMESTAMP + " "
                            + show(timestamp) + " is after " + latestAllowed + " (" + latestAllowedReason + ")");
                } else {
                    micros = instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
                }
            }
        }
        if (transactionType != null && !transactionType.isEmpty() && !transactionTypes.allows(transactionType)) {
            errors = add(errors, RowErrorCode.TRANSACTION_TYPE_UNKNOWN_VALUE, TRANSACTION_TYPE, TRANSACTION_TYPE + " "
                    + show(transactionType) + " is not on the transaction-type enumeration (a new enum value; matched exactly)");
        }
        return errors == null ? RowVerdict.valid(unscaled, micros, ContractV1.silverTransactionType(transactionType))
                : RowVerdict.invalid(errors);
    }

    private static List<RowError> checkIdentifier(String column, String value, List<RowError> errors) {
        errors = checkPresence(column, value, core(value), errors);
        int at = invisibleCharacterAt(value);
        if (at >= 0) {
            errors = add(errors, RowErrorCode.CONTROL_CHARACTER, column, column + " " + show(value) + " contains the invisible or "
                    + "control character U+" + String.format("%04X", (int) value.charAt(at)) + " at position " + (at + 1));
        }
        return errors;
    }

    /**
     * The index of the first invisible or control character in {@code value} ({@link RowErrorCode#CONTROL_CHARACTER}),
     * or -1. Leading and trailing whitespace is {@link RowErrorCode#WHITESPACE}'s, and tab, line feed and
     * carriage return inside a (quoted) value are allowed.
     */
    static int invisibleCharacterAt(String value) {
        if (value == null) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                continue;
            }
            if (c < 0x20 ? c != '\t' && c != '\n' && c != '\r' : isInvisible(c)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isInvisible(char c) {
        return c <= 0x9F // DEL and the C1 controls
                || c == '\u061C' || c == '\u200E' || c == '\u200F' || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')
                || (c >= '\u200B' && c <= '\u200D') || c == '\u2060' || c == '\uFEFF';
    }

    /** Adds REQUIRED and WHITESPACE as they apply; {@code core} is {@code value} without surrounding whitespace. */
    private static List<RowError> checkPresence(String column, String value, String core, List<RowError> errors) {
        if (core == null) {
            String what = value == null || value.isEmpty() ? "empty" : "blank (" + show(value) + ")";
            errors = add(errors, RowErrorCode.REQUIRED, column, column + " is required but " + what);
        }
        if (value != null && !value.isEmpty() && (isSpace(value.charAt(0)) || isSpace(value.charAt(value.length() - 1)))) {
            errors = add(errors, RowErrorCode.WHITESPACE, column, column + " " + show(value)
                    + " has leading or trailing whitespace (values are never trimmed)");
        }
        return errors;
    }

    /** The value without surrounding whitespace, or {@code null} when nothing else is left. */
    private static String core(String value) {
        if (value == null) {
            return null;
        }
        int start = 0;
        int end = value.length();
        while (start < end && isSpace(value.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(value.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            return null;
        }
        return start == 0 && end == value.length() ? value : value.substring(start, end);
    }

    private static boolean isSpace(char c) {
        return c <= ' ' || Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF';
    }

    private static boolean isThreeUpperCaseLetters(String s) {
        return s.length() == 3 && isUpper(s.charAt(0)) && isUpper(s.charAt(1)) && isUpper(s.charAt(2));
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static List<RowError> add(List<RowError> errors, RowErrorCode code, String column, String message) {
        List<RowError> list = errors == null ? new ArrayList<>(2) : errors;
        list.add(new RowError(code, column, message));
        return list;
    }

    /**
     * A value quoted for a message: single quotes, control characters escaped, long values cut to
     * {@value #MAX_SHOWN_CHARS} characters with the full length noted.
     */
    public static String show(String value) {
        if (value == null) {
            return "(absent)";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_SHOWN_CHARS) + 8).append('\'');
        int shown = Math.min(value.length(), MAX_SHOWN_CHARS);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\'' -> out.append("\\'");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < ' ' || Character.isISOControl(c) || c == '\uFEFF') {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('\'');
        if (value.length() > MAX_SHOWN_CHARS) {
            out.append("... (").append(value.length()).append(" chars)");
        }
        return out.toString();
    }
}
