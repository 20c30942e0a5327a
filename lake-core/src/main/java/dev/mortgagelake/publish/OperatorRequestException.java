package dev.mortgagelake.publish;

import dev.mortgagelake.refusal.RefusalException;

import dev.mortgagelake.publish.check.CheckFailure;

import java.util.List;
import java.util.Objects;

/**
 * An operator's request (approve, reject, roll back) cannot be carried out as asked; nothing was
 * changed. {@link #kind()} carries the decision for the API: NOT_FOUND (no such held run or
 * version), CONFLICT (the state does not allow it: already decided, already promoted, the table
 * moved), REFUSED (the run's output fails its integrity checks; {@link #failures()} says why).
 */
public class OperatorRequestException extends RefusalException {

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

    @Override
    public RefusalException.Kind refusalKind() {
        return switch (kind) {
            case NOT_FOUND -> RefusalException.Kind.NOT_FOUND;
            case CONFLICT -> RefusalException.Kind.CONFLICT;
            case REFUSED -> RefusalException.Kind.UNPROCESSABLE;
        };
    }

    @Override
    public String code() {
        return kind.name();
    }

    @Override
    public String title() {
        return switch (kind) {
            case NOT_FOUND -> "No such resource";
            case CONFLICT -> "The request conflicts with the current state";
            case REFUSED -> "The run fails its promotion checks";
        };
    }

    @Override
    public List<CheckFailure> failures() {
        return failures;
    }
}
