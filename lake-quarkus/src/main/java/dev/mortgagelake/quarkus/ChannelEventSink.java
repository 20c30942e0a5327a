package dev.mortgagelake.quarkus;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventSink;
import dev.mortgagelake.event.LakeEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;

import java.util.List;

/**
 * Sends lake events to one or more outgoing SQS channels and returns only when every send was
 * acknowledged by SQS, so the caller may then record "emitted" and ack its own input.
 */
public final class ChannelEventSink implements EventSink {

    private final List<MutinyEmitter<String>> channels;

    private ChannelEventSink(List<MutinyEmitter<String>> channels) {
        this.channels = channels;
    }

    @SafeVarargs
    public static ChannelEventSink to(MutinyEmitter<String>... channels) {
        return new ChannelEventSink(List.of(channels));
    }

    @Override
    public void send(LakeEvent<?> event) {
        String body = EventCodec.encode(event);
        for (MutinyEmitter<String> channel : channels) {
            channel.sendAndAwait(body);
        }
    }
}
