package dev.mortgagelake.event;

/** A message that is not a lake event this consumer understands: permanent, retrying cannot help. */
public class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
