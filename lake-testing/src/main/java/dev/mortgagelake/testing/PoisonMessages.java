package dev.mortgagelake.testing;

import dev.mortgagelake.event.EventType;
import dev.mortgagelake.topology.LakeTopology;

import java.time.Duration;

/**
 * Poison message bodies for a service's queue, each carrying a marker so a test finds it again in the
 * queue's dead-letter queue, and the check that it got there.
 */
public final class PoisonMessages {

    private PoisonMessages() {
    }

    /** A body that is not JSON. */
    public static String notJson(String marker) {
        return "TransactionID,CustomerID\nthis is a CSV line, not an event " + marker;
    }

    /** A CloudEvent of a type no lake service knows. */
    public static String unknownType(String marker) {
        return cloudEvent(EventType.TYPE_PREFIX + "invoice-paid.v1", marker, "{}");
    }

    /** {@code eventName}'s event at a version above the one the services understand. */
    public static String newerVersion(EventType type, String marker) {
        return cloudEvent(EventType.TYPE_PREFIX + type.eventName() + ".v" + (type.version() + 1), marker, "{\"run_id\":\"" + marker + "\"}");
    }

    private static String cloudEvent(String type, String marker, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + marker + "\",\"source\":\"/tests/poison\",\"type\":\"" + type
                + "\",\"subject\":\"" + marker + "\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":" + data + "}";
    }

    /**
     * Waits for the message carrying {@code marker} in {@code queue}'s dead-letter queue and removes it
     * from there; fails if it is not there within {@code timeout}.
     */
    public static String awaitDeadLettered(String queue, String marker, Duration timeout) {
        return QueueProbe.await(queue + LakeTopology.DEAD_LETTER_SUFFIX, body -> body.contains(marker), timeout);
    }
}
