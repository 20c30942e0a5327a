package dev.mortgagelake.service.publish;

/** Channel names shared by the handlers and their tests; queue names live in application.properties. */
public final class PublishChannels {

    /** {@code run-validated} events (publish-service's own queue). */
    public static final String RUN_VALIDATED = "run-validated";
    /** Outgoing {@code run-promoted} events. */
    public static final String RUN_PROMOTED = "run-promoted";

    private PublishChannels() {
    }
}
