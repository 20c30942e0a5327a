package dev.mortgagelake.service.ingest;

import dev.mortgagelake.ingest.IngestOutcome;
import dev.mortgagelake.ingest.LandingIngest;
import dev.mortgagelake.ingest.notification.LandedObject;
import dev.mortgagelake.ingest.notification.S3EventNotifications;
import dev.mortgagelake.quarkus.ChannelEventSink;
import dev.mortgagelake.quarkus.RunLogContext;
import dev.mortgagelake.quarkus.LakeMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.mortgagelake.quarkus.MessageConsumption;
import org.eclipse.microprofile.reactive.messaging.Message;
import java.util.concurrent.CompletionStage;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.Locale;

/**
 * Consumes S3 ObjectCreated notifications from the landing queue. The message is acknowledged
 * (deleted) only after every landed object in it is in Bronze and its {@code file-landed} was sent;
 * any exception nacks it, SQS redelivers after the visibility timeout, and after the queue's
 * maxReceiveCount it moves to the dead-letter queue; a poison message (not an S3 notification) is made
 * visible again at once so it gets there within seconds ({@link MessageConsumption}). The message's
 * visibility is extended while a large file is copied.
 */
@ApplicationScoped
public class LandingNotificationConsumer {

    private static final Logger LOG = Logger.getLogger(LandingNotificationConsumer.class);

    @Inject
    LandingIngest ingest;

    @Inject
    ChannelEventSink fileLanded;

    @Inject
    IngestConfig config;

    @Inject
    MeterRegistry metrics;

    @Inject
    MessageConsumption consumption;

    @Incoming(IngestChannels.LANDING)
    @Blocking
    public CompletionStage<Void> onNotification(Message<String> message) {
        return consumption.consume(IngestChannels.LANDING, message, this::onNotification);
    }

    void onNotification(String body) {
        for (LandedObject landed : S3EventNotifications.createdObjects(body)) {
            if (!landed.location().key().startsWith(config.landingPrefix())) {
                LOG.infof("Skipping %s: outside the landing prefix %s", landed.location(), config.landingPrefix());
                continue;
            }
            Timer.Sample timer = Timer.start(metrics);
            IngestOutcome outcome = ingest.ingest(landed, fileLanded);
            String kind = outcome.kind().name().toLowerCase(Locale.ROOT);
            timer.stop(metrics.timer(IngestMetrics.INGEST_DURATION, LakeMetrics.TAG_OUTCOME, kind));
            try (RunLogContext ignored = RunLogContext.of(outcome.runId())) {
                metrics.counter(IngestMetrics.LANDINGS, LakeMetrics.TAG_OUTCOME, kind, IngestMetrics.TAG_PATH, IngestMetrics.PATH_NOTIFICATION)
                        .increment();
                LOG.infof("Landing %s: %s (run %s)", landed.location(), outcome.kind(), outcome.runId());
            }
        }
    }
}
