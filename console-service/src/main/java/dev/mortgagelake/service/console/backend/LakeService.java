package dev.mortgagelake.service.console.backend;

/** The services the console calls; each owns its actions and their audit trail. */
public enum LakeService {
    PUBLISH("publish-service"),
    RETRY("retry-service"),
    INGEST("ingest-service");

    private final String serviceName;

    LakeService(String serviceName) {
        this.serviceName = serviceName;
    }

    public String serviceName() {
        return serviceName;
    }
}
