package dev.mortgagelake.event;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * The canonical JSON of each event contract ({@code src/test/resources/events/<name>.v1.json}),
 * shipped in lake-core's test-jar so that every producer and consumer test parses the same files.
 */
public final class EventFixtures {

    private EventFixtures() {
    }

    /** The fixture body of {@code type}, e.g. {@code fixture(EventType.FILE_LANDED)}. */
    public static String fixture(EventType type) {
        String resource = "/events/" + type.eventName() + ".v1.json";
        try (InputStream in = EventFixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing event fixture " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture decoded as its event type. */
    public static <T> LakeEvent<T> decoded(EventType type) {
        return EventCodec.decode(fixture(type), type);
    }

    /**
     * Asserts that {@code json} (what a producer sent) has the fixture's shape: the same field names
     * at every level of objects (values may differ; {@code null} matches anything), and decodes as
     * {@code type}. Producers use it so that what they emit is what consumers' tests parse.
     */
    public static LakeEvent<Object> assertConformsToFixture(String json, EventType type) {
        JsonNode expected;
        JsonNode actual;
        try {
            expected = EventCodec.mapper().readTree(fixture(type));
            actual = EventCodec.mapper().readTree(json);
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + json, e);
        }
        compareShape("", expected, actual);
        return EventCodec.decode(json, type);
    }

    /** Fields whose value is a map with data-dependent keys (compared as values, not as shapes). */
    private static final java.util.Set<String> MAP_FIELDS = java.util.Set.of("/data/quarantine/error_counts", "/data/gold");

    /**
     * Additive fields written only when they have content, so absent from the fixture (which shows the
     * common case) and allowed in an event: {@code run-validated.drift.new_enum_values} (contract v1.1).
     */
    private static final java.util.Set<String> OPTIONAL_FIELDS = java.util.Set.of("/data/drift/new_enum_values");

    private static void compareShape(String path, JsonNode expected, JsonNode actual) {
        if (expected.isNull() || actual.isNull() || !expected.isObject() || MAP_FIELDS.contains(path)) {
            return;
        }
        if (!actual.isObject()) {
            throw new AssertionError(path + " should be an object but is " + actual);
        }
        Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!actual.has(field.getKey())) {
                throw new AssertionError("Missing field " + path + "/" + field.getKey() + " in " + actual);
            }
            compareShape(path + "/" + field.getKey(), field.getValue(), actual.get(field.getKey()));
        }
        Iterator<String> names = actual.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!expected.has(name) && !OPTIONAL_FIELDS.contains(path + "/" + name)) {
                throw new AssertionError("Field " + path + "/" + name + " is not in the contract fixture");
            }
        }
    }
}
