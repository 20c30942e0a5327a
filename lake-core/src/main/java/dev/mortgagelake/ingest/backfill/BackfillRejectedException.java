package dev.mortgagelake.ingest.backfill;

import dev.mortgagelake.refusal.RefusalException;

/**
 * A backfill request cannot be carried out as asked; nothing was written. INVALID: the request itself
 * is malformed (unknown dataset, range reversed or too long, no reason, bad request id). CONFLICT: the
 * request id is already taken by a request with other parameters.
 */
public class BackfillRejectedException extends RefusalException {

    public enum Kind {
        INVALID,
        CONFLICT
    }

    private final Kind kind;

    public BackfillRejectedException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public RefusalException.Kind refusalKind() {
        return kind == Kind.CONFLICT ? RefusalException.Kind.CONFLICT : RefusalException.Kind.INVALID;
    }

    @Override
    public String code() {
        return kind.name();
    }

    @Override
    public String title() {
        return kind == Kind.CONFLICT ? "The request conflicts with an earlier one" : "The backfill request is invalid";
    }
}
