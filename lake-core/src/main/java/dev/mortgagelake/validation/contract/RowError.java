package dev.mortgagelake.validation.contract;

import java.util.Objects;

/**
 * One violated rule of one record.
 *
 * @param code    the stable code
 * @param column  the contract column the rule is about ({@code null} for whole-record rules such as
 *                {@link RowErrorCode#FIELD_COUNT})
 * @param message a readable sentence naming the column and quoting the offending value
 */
public record RowError(RowErrorCode code, String column, String message) {

    public RowError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** {@code CODE: message}, the form used in {@code validation_error}. */
    @Override
    public String toString() {
        return code + ": " + message;
    }
}
