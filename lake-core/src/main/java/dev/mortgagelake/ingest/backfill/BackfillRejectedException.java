package dev.mortgagelake.ingest.backfill;

/**
 * A backfill request cannot be carried out as asked; nothing was written. INVALID: the request itself
 * is malformed (unknown dataset, range reversed or too long, no reason, bad request id). CONFLICT: the
 * request id is already taken by a request with other parameters.
 */
public class BackfillRejectedException extends RuntimeException {

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
}
