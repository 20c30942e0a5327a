package dev.mortgagelake.publish;

import dev.mortgagelake.publish.check.CheckFailure;

import java.util.List;
import java.util.Objects;

/**
 * An operator's request (approve, reject, roll back) cannot be carried out as asked; nothing was
 * changed. {@link #kind()} carries the decision for the API: NOT_FOUND (no such held run or
 * version), CONFLICT (the state does not allow it: already decided, already promoted, the table
 * moved), REFUSED (the run's output fails its integrity checks; {@link #failures()} says why).
 */
public class OperatorRequestException extends RuntimeException {

    public enum Kind {
        NOT_FOUND,
        CONFLICT,
        REFUSED
    }

    private final Kind kind;
    private final List<CheckFailure> failures;

    public OperatorRequestException(Kind kind, String message) {
        this(kind, message, List.of());
    }

    public OperatorRequestException(Kind kind, String message, List<CheckFailure> failures) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.failures = List.copyOf(failures);
    }

    public Kind kind() {
        return kind;
    }

    public List<CheckFailure> failures() {
        return failures;
    }
}
