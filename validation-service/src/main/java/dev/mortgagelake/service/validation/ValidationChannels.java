package dev.mortgagelake.service.validation;

/** Channel names shared by the handlers and their tests; queue names live in application.properties. */
public final class ValidationChannels {

    /** Incoming {@code file-landed} events from ingest-service. */
    public static final String FILE_LANDED = "file-landed";
    /** Incoming {@code retry-due} events from retry-service: a batch to re-validate as a retry run. */
    public static final String RETRY_DUE = "retry-due";
    /** Outgoing {@code run-validated}, publish-service's copy. */
    public static final String RUN_VALIDATED_TO_PUBLISH = "run-validated-publish";
    /** Outgoing {@code run-validated}, retry-service's copy. */
    public static final String RUN_VALIDATED_TO_RETRY = "run-validated-retry";

    private ValidationChannels() {
    }
}
