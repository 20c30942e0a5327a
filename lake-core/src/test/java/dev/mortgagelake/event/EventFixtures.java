package dev.mortgagelake.event;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

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
}
