package dev.mortgagelake.validation.contract;

/**
 * The stable codes of row-level contract violations. The codes are part of the quarantine contract
 * ({@code error_codes} column, {@code run-validated} error counts, dashboards and alert rules): a
 * code is never renamed or reused for another meaning; new rules get new codes.
 */
public enum RowErrorCode {
    /** The record does not have as many fields as the header; its columns cannot be trusted, so no other rule runs. */
    FIELD_COUNT,
    /** A required value is empty or consists of whitespace only. */
    REQUIRED,
    /** A value has leading or trailing whitespace (values are never trimmed). */
    WHITESPACE,
    /** The amount is not a plain decimal: optional '-', digits, optional '.' followed by 1-2 digits. */
    AMOUNT_FORMAT,
    /** The amount has more than 2 decimal places, so it does not fit DECIMAL(18,2) exactly. */
    AMOUNT_SCALE,
    /** The amount has more than 16 significant integer digits, so it does not fit DECIMAL(18,2). */
    AMOUNT_PRECISION,
    /** The currency is not exactly three upper-case ASCII letters. */
    CURRENCY_FORMAT,
    /** The currency is well-formed but not on the allow-list. */
    CURRENCY_NOT_ALLOWED,
    /** The timestamp is not an ISO-8601 date-time. */
    TIMESTAMP_FORMAT,
    /** The timestamp is an ISO-8601 local date-time without {@code Z} or an offset, so its instant is unknown. */
    TIMESTAMP_NO_ZONE,
    /** The timestamp has a non-zero fraction below microseconds, which Silver cannot hold exactly. */
    TIMESTAMP_PRECISION,
    /** The timestamp is before 1970-01-01T00:00:00Z. */
    TIMESTAMP_TOO_EARLY,
    /** The timestamp is later than the validation time plus the allowed clock skew. */
    TIMESTAMP_IN_FUTURE,
    /**
     * The record is longer than the row size limit ({@code lake.validation.max-row-chars}); its values
     * are kept in quarantine and no other rule runs. The stream goes on with the next record.
     */
    ROW_TOO_LARGE,
    /**
     * The record's {@code TransactionID} was already published (or seen earlier in the same file) with
     * other content: the earlier row stays, this one is quarantined for a human to resolve.
     */
    DUPLICATE_ID_CONFLICT,
    /**
     * An identifier ({@code TransactionID}, {@code CustomerID}) contains an invisible or control
     * character inside it: NUL or another C0/C1 control (tab, line feed and carriage return excepted),
     * DEL, a bidirectional control (U+061C, U+200E/F, U+202A-U+202E, U+2066-U+2069: "Trojan Source"
     * spoofing) or a zero-width/format character (U+200B-U+200D, U+2060, U+FEFF). Two such ids look the
     * same to a person and differ to the lake, or truncate in C-string tools downstream.
     */
    CONTROL_CHARACTER,
    /**
     * The record's {@code TransactionType} (contract v1.1, optional column) is not empty and not on the
     * transaction-type enumeration (reference data {@code reference/transaction-types/transaction_types.json});
     * matched exactly, like a currency. The raw value is kept in quarantine's {@code transaction_type}
     * and counted as drift ({@code drift.new_enum_values}). An absent column or an empty value is not an
     * error: the row's type is {@code UNKNOWN}.
     */
    TRANSACTION_TYPE_UNKNOWN_VALUE;

    /**
     * Whether the code describes the record's shape rather than its values ({@link #FIELD_COUNT},
     * {@link #ROW_TOO_LARGE}): the five values of such a row were never checked, and re-validating them
     * cannot fix the row, so a retry fails it again with the same codes and message.
     */
    public boolean isStructural() {
        return this == FIELD_COUNT || this == ROW_TOO_LARGE;
    }

    /** Whether {@code code} names a structural code ({@link #isStructural()}); false for unknown codes. */
    public static boolean isStructural(String code) {
        return FIELD_COUNT.name().equals(code) || ROW_TOO_LARGE.name().equals(code);
    }
}
