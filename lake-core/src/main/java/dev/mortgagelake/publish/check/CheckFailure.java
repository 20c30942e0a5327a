package dev.mortgagelake.publish.check;

import java.util.Objects;

/**
 * One reason a run cannot be promoted.
 *
 * @param code    the machine-readable reason
 * @param message what was found, naming the partition and object concerned
 */
public record CheckFailure(CheckCode code, String message) {

    public CheckFailure {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return code + ": " + message;
    }
}
