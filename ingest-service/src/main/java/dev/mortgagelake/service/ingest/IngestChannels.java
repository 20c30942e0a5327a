package dev.mortgagelake.service.ingest;

/** Channel names shared by the handlers and their tests; queue names live in application.properties. */
public final class IngestChannels {

    /** S3 ObjectCreated notifications of the landing bucket. */
    public static final String LANDING = "landing";
    /** Outgoing {@code file-landed} events, to validation-service. */
    public static final String FILE_LANDED = "file-landed";

    private IngestChannels() {
    }
}
