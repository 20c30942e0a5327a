package dev.mortgagelake.service.publish;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.LakeEvents;
import dev.mortgagelake.event.RunPromoted;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.publish.RunPromotion;
import dev.mortgagelake.quarkus.ChannelEventSink;
import dev.mortgagelake.quarkus.RunLogContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

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

    @Incoming(PublishChannels.RUN_VALIDATED)
    @Blocking
    public void onRunValidated(String body) {
        RunValidated run = EventCodec.<RunValidated>decode(body, EventType.RUN_VALIDATED).data();
        try (RunLogContext ignored = RunLogContext.of(run.runId())) {
            if (RunValidated.OUTCOME_FILE_REJECTED.equals(run.outcome())) {
                metrics.counter("lake.promotions", "decision", "file_rejected").increment();
                LOG.infof("Run %s: file rejected (%s); nothing to promote", run.runId(),
                        run.fileRejection() == null ? "no reason recorded" : run.fileRejection().code());
                return;
            }
            RunPromotion.Decision decision = promotion.promote(run);
            if (!decision.isPromoted()) {
                metrics.counter("lake.promotions", "decision", "held").increment();
                LOG.warnf("Run %s held, not promoted: %s (record %s)", run.runId(), decision.failures(), decision.heldRecord());
                return;
            }
            RunPromoted promoted = decision.promoted();
            runPromoted.send(LakeEvents.runPromoted(promoted));
            metrics.counter("lake.promotions", "decision", decision.newVersion() ? "promoted" : "already_promoted").increment();
            LOG.infof("Run %s promoted: Silver table version %d, %d row(s) in %s", run.runId(), promoted.tableVersion(),
                    promoted.rows(), promoted.partitions());
        }
    }
}
