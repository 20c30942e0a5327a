package dev.mortgagelake.event;

import java.util.Locale;

/**
 * A message that is not a lake event this consumer understands: permanent, retrying cannot help.
 * {@link #reason()} says which kind of poison it is, for the log line and the poison-message metric.
 */
public class InvalidEventException extends RuntimeException {

    /** Why a message is not an event this consumer can handle. */
    public enum Reason {
        /** The body is not a JSON object. */
        NOT_JSON,
        /** JSON, but not an event this queue carries (another type, no CloudEvents envelope, not an S3 notification). */
        UNKNOWN_TYPE,
        /** An event of a known name with a higher {@code .vN} than this consumer understands (a producer deployed first). */
        NEWER_VERSION,
        /** The right type, but its payload breaks the event's contract (missing or malformed fields). */
        INVALID_EVENT,
        /** A well-formed event naming an object (Bronze file, quarantine batch) that does not exist. */
        MISSING_OBJECT;

        /** The metric label: lower case, e.g. {@code newer_version}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    public InvalidEventException(String message) {
        this(Reason.INVALID_EVENT, message);
    }

    public InvalidEventException(String message, Throwable cause) {
        this(Reason.INVALID_EVENT, message, cause);
    }

    public InvalidEventException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public InvalidEventException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
