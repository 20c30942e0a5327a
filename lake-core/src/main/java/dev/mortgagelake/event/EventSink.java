package dev.mortgagelake.event;

/**
 * Where domain code hands the events it produces. {@link #send} returns only once the event is
 * durably accepted by the transport (for SQS: the SendMessage call succeeded), so a caller may
 * record "emitted" after it returns and acknowledge its own input.
 */
@FunctionalInterface
public interface EventSink {

    void send(LakeEvent<?> event);
}
