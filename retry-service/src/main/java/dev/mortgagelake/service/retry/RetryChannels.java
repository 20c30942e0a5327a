package dev.mortgagelake.service.retry;

/** Channel names shared by the handlers and their tests; queue names live in application.properties. */
public final class RetryChannels {

    /** {@code run-validated} events (retry-service's own copy, on its own queue). */
    public static final String RUN_VALIDATED = "run-validated";

    /** {@code retry-due} events to validation-service. */
    public static final String RETRY_DUE = "retry-due";

    private RetryChannels() {
    }
}
