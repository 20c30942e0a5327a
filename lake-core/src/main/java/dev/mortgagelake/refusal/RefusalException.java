package dev.mortgagelake.refusal;

import dev.mortgagelake.publish.check.CheckFailure;

import java.util.List;

/**
 * A request the lake refuses for a reason the caller can act on (the run is not held, the requester
 * may not decide their own request, the table moved meanwhile, ...), as opposed to a failure of the
 * lake itself. Each refusal says what kind it is, a stable code and a short title; the operator APIs
 * turn every refusal into one problem document (lake-quarkus {@code OperatorProblems}), so a new
 * refusal needs no new mapper.
 */
public abstract class RefusalException extends RuntimeException {

    /** What kind of refusal: decides the HTTP status in the operator APIs. */
    public enum Kind {
        /** The thing asked for does not exist (404). */
        NOT_FOUND,
        /** The request conflicts with the lake's current state or an earlier request (409). */
        CONFLICT,
        /** The request itself is invalid (400). */
        INVALID,
        /** The caller may not do this, whatever their role (403). */
        FORBIDDEN,
        /** Well-formed, but what it names fails the lake's checks (422). */
        UNPROCESSABLE
    }

    protected RefusalException(String message) {
        super(message);
    }

    protected RefusalException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Named so as not to clash with the {@code kind()} some refusals have of their own. */
    public abstract Kind refusalKind();

    /** A stable machine-readable code, e.g. {@code FOUR_EYES}, {@code COMMIT_FAILED}. */
    public abstract String code();

    /** A short description of the code, the same for every refusal with that code. */
    public abstract String title();

    /** For a run refused by its checks: the failed checks; otherwise empty. */
    public List<CheckFailure> failures() {
        return List.of();
    }
}
