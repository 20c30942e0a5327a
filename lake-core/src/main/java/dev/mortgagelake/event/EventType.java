package dev.mortgagelake.event;

import java.util.Arrays;

/**
 * The lake's events and their versioned CloudEvents {@code type}s. A breaking change to a payload
 * gets a new version ({@code .v2}) and consumers accept both while producers move; additive,
 * optional fields keep the version (readers ignore unknown fields).
 */
public enum EventType {
    FILE_LANDED("file-landed", 1, FileLanded.class),
    RUN_VALIDATED("run-validated", 1, RunValidated.class),
    RETRY_DUE("retry-due", 1, RetryDue.class),
    RUN_PROMOTED("run-promoted", 1, RunPromoted.class);

    public static final String TYPE_PREFIX = "dev.mortgagelake.";

    private final String eventName;
    private final int version;
    private final Class<?> dataClass;

    EventType(String eventName, int version, Class<?> dataClass) {
        this.eventName = eventName;
        this.version = version;
        this.dataClass = dataClass;
    }

    /** The short name, e.g. {@code file-landed}. */
    public String eventName() {
        return eventName;
    }

    /** The CloudEvents type, e.g. {@code dev.mortgagelake.file-landed.v1}. */
    public String cloudEventType() {
        return TYPE_PREFIX + eventName + ".v" + version;
    }

    /** The version in the type, e.g. 1 for {@code .v1}. */
    public int version() {
        return version;
    }

    public Class<?> dataClass() {
        return dataClass;
    }

    public static EventType fromCloudEventType(String type) {
        return Arrays.stream(values())
                .filter(t -> t.cloudEventType().equals(type))
                .findFirst()
                .orElseThrow(() -> new InvalidEventException(InvalidEventException.Reason.UNKNOWN_TYPE, "Unknown event type '" + type + "'; this service understands "
                        + Arrays.stream(values()).map(EventType::cloudEventType).toList()));
    }
}
