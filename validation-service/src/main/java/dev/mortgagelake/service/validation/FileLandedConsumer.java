package dev.mortgagelake.service.validation;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.LakeEvents;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.quarkus.ChannelEventSink;
import dev.mortgagelake.quarkus.RunLogContext;
import dev.mortgagelake.validation.RunValidator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

/**
 * Validates each landed run and emits {@code run-validated} to publish-service and retry-service.
 * The message is acknowledged only after Silver, Quarantine and the validation record are written
 * and both sends were accepted; a redelivery returns the stored validation record and re-emits.
 */
@ApplicationScoped
public class FileLandedConsumer {

    private static final Logger LOG = Logger.getLogger(FileLandedConsumer.class);

    @Inject
    RunValidator validator;

    @Inject
    ChannelEventSink runValidated;

    @Inject
    MeterRegistry metrics;

    @Inject
    Clock clock;

    @Incoming(ValidationChannels.FILE_LANDED)
    @Blocking
    public void onFileLanded(String body) {
        FileLanded landed = EventCodec.<FileLanded>decode(body, EventType.FILE_LANDED).data();
        try (RunLogContext ignored = RunLogContext.of(landed.runId())) {
            Instant started = clock.instant();
            Timer.Sample timer = Timer.start(metrics);
            RunValidated run = validator.validate(landed);
            boolean fresh = !run.validatedAt().isBefore(started);
            if (fresh) {
                timer.stop(metrics.timer("lake.validation.duration", "outcome", run.outcome().toLowerCase(Locale.ROOT)));
                count(run);
            }
            runValidated.send(LakeEvents.runValidated(run));
            LOG.infof("Run %s %s: %d read, %d silver, %d quarantined, %d condemned%s", run.runId(), run.outcome(),
                    run.counts().rowsRead(), run.counts().silver(), run.counts().quarantined(), run.counts().condemned(),
                    fresh ? "" : " (already validated; event re-emitted)");
        }
    }

    private void count(RunValidated run) {
        metrics.counter("lake.rows", "layer", "silver", "outcome", "valid").increment(run.counts().silver());
        metrics.counter("lake.rows", "layer", "quarantine", "outcome", "invalid").increment(run.counts().quarantined());
        metrics.counter("lake.rows", "layer", "condemned", "outcome", "condemned").increment(run.counts().condemned());
        metrics.counter("lake.runs.validated", "outcome", run.outcome().toLowerCase(Locale.ROOT)).increment();
        if (run.quarantine() != null) {
            run.quarantine().errorCounts().forEach((code, rows) ->
                    metrics.counter("lake.quarantine.rows.by.error", "code", code).increment(rows));
        }
        if (run.fileRejection() != null) {
            metrics.counter("lake.files.rejected", "code", run.fileRejection().code()).increment();
        }
    }
}
