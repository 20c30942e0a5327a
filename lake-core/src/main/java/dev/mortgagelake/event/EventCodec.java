package dev.mortgagelake.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Encodes and decodes lake events as CloudEvents JSON (structured mode). Field names are
 * {@code snake_case}; times are ISO-8601 UTC strings; unknown fields are ignored (tolerant reader),
 * so additive payload changes do not break older consumers.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = newMapper();

    private EventCodec() {
    }

    /** The JSON mapper the lake uses for events and control documents. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    public static String encode(LakeEvent<?> event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode event " + event.id(), e);
        }
    }

    /**
     * Decodes a message body that must be an event of {@code expected}.
     *
     * @throws InvalidEventException if the body is not JSON, not a CloudEvent 1.0, or of another type
     */
    @SuppressWarnings("unchecked")
    public static <T> LakeEvent<T> decode(String body, EventType expected) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(InvalidEventException.Reason.NOT_JSON, "Message is not JSON: " + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidEventException(InvalidEventException.Reason.NOT_JSON, "Message is not a JSON object");
        }
        String specVersion = tree.path("specversion").asText(null);
        if (!LakeEvent.SPEC_VERSION.equals(specVersion)) {
            throw new InvalidEventException(InvalidEventException.Reason.UNKNOWN_TYPE, "Not a CloudEvents " + LakeEvent.SPEC_VERSION + " envelope (specversion="
                    + specVersion + ")");
        }
        String type = tree.path("type").asText(null);
        if (!expected.cloudEventType().equals(type)) {
            throw new InvalidEventException(isNewerVersionOf(expected, type) ? InvalidEventException.Reason.NEWER_VERSION
                    : InvalidEventException.Reason.UNKNOWN_TYPE, "Expected an event of type " + expected.cloudEventType() + " but got '" + type + "'");
        }
        JavaType javaType = MAPPER.getTypeFactory().constructParametricType(LakeEvent.class, expected.dataClass());
        try {
            return (LakeEvent<T>) MAPPER.treeToValue(tree, javaType);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidEventException("Invalid " + expected.eventName() + " event: " + e.getMessage(), e);
        }
    }

    /** Whether {@code type} is {@code expected}'s event with a higher {@code .vN} than this code knows. */
    static boolean isNewerVersionOf(EventType expected, String type) {
        String prefix = EventType.TYPE_PREFIX + expected.eventName() + ".v";
        if (type == null || !type.startsWith(prefix)) {
            return false;
        }
        String version = type.substring(prefix.length());
        if (version.isEmpty() || version.length() > 9 || !version.chars().allMatch(Character::isDigit)) {
            return false;
        }
        return Integer.parseInt(version) > expected.version();
    }
}
