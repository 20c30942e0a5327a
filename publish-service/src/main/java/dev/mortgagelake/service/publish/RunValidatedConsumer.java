package dev.mortgagelake.service.publish;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.LakeEvents;
import dev.mortgagelake.event.RunPromoted;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.publish.RunPromotion;
import dev.mortgagelake.quarkus.ChannelEventSink;
import dev.mortgagelake.quarkus.RunLogContext;
import dev.mortgagelake.layout.RunId;
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

import java.time.Clock;
import java.time.Duration;

/**
 * Promotes each validated run: checks, snapshot commit, Silver {@code current/} and {@code _LATEST.json},
 * Gold for the new Silver version (each Gold {@code current/}, then its {@code _LATEST.json}; best
 * effort, see {@link dev.mortgagelake.gold.GoldRefresh}), then {@code run-promoted} naming the Gold versions.
 * The message is acknowledged only after the event was accepted by SQS; if anything fails it is
 * redelivered, and promotion of a run already in the table is a no-op that re-emits the event.
 * Runs whose file was rejected as a whole have nothing to promote.
 */
@ApplicationScoped
public class RunValidatedConsumer {

    private static final Logger LOG = Logger.getLogger(RunValidatedConsumer.class);

    @Inject
    RunPromotion promotion;

    @Inject
    ChannelEventSink runPromoted;

    @Inject
    MeterRegistry metrics;

    @Inject
    TableState tableState;

    @Inject
    Clock clock;

    @Inject
    MessageConsumption consumption;

    /** The message's visibility is extended while the run is promoted and Gold published; poison goes to the DLQ. */
    @Incoming(PublishChannels.RUN_VALIDATED)
    @Blocking
    public CompletionStage<Void> onRunValidated(Message<String> message) {
        return consumption.consume(PublishChannels.RUN_VALIDATED, message, this::onRunValidated);
    }

    void onRunValidated(String body) {
        RunValidated run = EventCodec.<RunValidated>decode(body, EventType.RUN_VALIDATED).data();
        try (RunLogContext ignored = RunLogContext.of(run.runId())) {
            if (RunValidated.OUTCOME_FILE_REJECTED.equals(run.outcome())) {
                count("file_rejected");
                LOG.infof("Run %s: file rejected (%s); nothing to promote", run.runId(),
                        run.fileRejection() == null ? "no reason recorded" : run.fileRejection().code());
                return;
            }
            Timer.Sample timer = Timer.start(metrics);
            RunPromotion.Decision decision = promotion.promote(run);
            String outcome = !decision.isPromoted() ? "held" : decision.newVersion() ? "promoted" : "already_promoted";
            timer.stop(metrics.timer(PublishMetrics.PROMOTION_DURATION, PublishMetrics.TAG_DECISION, outcome));
            if (!decision.isPromoted()) {
                count(outcome);
                tableState.refresh();
                LOG.warnf("Run %s held, not promoted: %s (record %s)", run.runId(), decision.failures(), decision.heldRecord());
                return;
            }
            RunPromoted promoted = decision.promoted();
            runPromoted.send(LakeEvents.runPromoted(promoted));
            count(outcome);
            if (decision.newVersion()) {
                metrics.timer(PublishMetrics.RUN_DURATION, LakeMetrics.TAG_DATASET, String.valueOf(run.dataset()))
                        .record(Duration.between(RunId.of(run.runId()).createdAt(), clock.instant()));
            }
            tableState.refresh();
            LOG.infof("Run %s promoted: Silver table version %d, %d row(s) in %s", run.runId(), promoted.tableVersion(),
                    promoted.rows(), promoted.partitions());
        }
    }

    private void count(String decision) {
        metrics.counter(PublishMetrics.PROMOTIONS, PublishMetrics.TAG_DECISION, decision).increment();
    }
}
