package dev.mortgagelake.event;

import java.time.Instant;
import java.util.Objects;

/**
 * The CloudEvents 1.0 JSON envelope every lake event travels in:
 * {@code specversion, type, id, source, time, subject, datacontenttype, data}.
 *
 * <p>{@code id} is deterministic for a given fact (e.g. {@code <run_id>/file-landed}): a re-emitted
 * event carries the same id, so duplicates are recognisable; consumers are idempotent regardless.
 * {@code subject} is the run id the event is about.
 */
public record LakeEvent<T>(
        String specversion,
        String type,
        String id,
        String source,
        Instant time,
        String subject,
        String datacontenttype,
        T data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/json";

    public LakeEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
    }

    /** A new event of {@code eventType} about {@code subject}. */
    public static <T> LakeEvent<T> of(EventType eventType, String id, String source, Instant time, String subject, T data) {
        if (!eventType.dataClass().isInstance(data)) {
            throw new IllegalArgumentException(eventType + " carries " + eventType.dataClass().getSimpleName()
                    + ", not " + data.getClass().getSimpleName());
        }
        return new LakeEvent<>(SPEC_VERSION, eventType.cloudEventType(), id, source, time, subject, CONTENT_TYPE, data);
    }

    public EventType eventType() {
        return EventType.fromCloudEventType(type);
    }
}
