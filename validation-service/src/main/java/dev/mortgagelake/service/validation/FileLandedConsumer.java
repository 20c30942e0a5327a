package dev.mortgagelake.service.validation;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.LakeEvents;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.quarkus.ChannelEventSink;
import dev.mortgagelake.quarkus.RunLogContext;
import dev.mortgagelake.validation.RunValidator;
import dev.mortgagelake.quarkus.LakeMetrics;
import io.micrometer.core.instrument.DistributionSummary;
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
                timer.stop(metrics.timer(ValidationMetrics.VALIDATION_DURATION, LakeMetrics.TAG_OUTCOME, run.outcome().toLowerCase(Locale.ROOT)));
                count(run);
            }
            runValidated.send(LakeEvents.runValidated(run));
            LOG.infof("Run %s %s: %d read, %d silver, %d quarantined, %d condemned%s", run.runId(), run.outcome(),
                    run.counts().rowsRead(), run.counts().silver(), run.counts().quarantined(), run.counts().condemned(),
                    fresh ? "" : " (already validated; event re-emitted)");
        }
    }

    private void count(RunValidated run) {
        String rows = ValidationMetrics.ROWS;
        metrics.counter(rows, ValidationMetrics.TAG_LAYER, "silver", LakeMetrics.TAG_OUTCOME, "valid").increment(run.counts().silver());
        metrics.counter(rows, ValidationMetrics.TAG_LAYER, "quarantine", LakeMetrics.TAG_OUTCOME, "invalid").increment(run.counts().quarantined());
        metrics.counter(rows, ValidationMetrics.TAG_LAYER, "condemned", LakeMetrics.TAG_OUTCOME, "condemned").increment(run.counts().condemned());
        metrics.counter(ValidationMetrics.RUNS_VALIDATED, LakeMetrics.TAG_OUTCOME, run.outcome().toLowerCase(Locale.ROOT)).increment();
        if (run.quarantine() != null) {
            run.quarantine().errorCounts().forEach((code, count) ->
                    metrics.counter(ValidationMetrics.QUARANTINE_ROWS_BY_ERROR, ValidationMetrics.TAG_CODE, code).increment(count));
        }
        if (run.fileRejection() != null) {
            metrics.counter(ValidationMetrics.FILES_REJECTED, ValidationMetrics.TAG_CODE, run.fileRejection().code()).increment();
        }
        if (run.condemned() != null) {
            run.condemned().reasonCounts().forEach((reason, condemnedRows) ->
                    metrics.counter(ValidationMetrics.CONDEMNED_ROWS_BY_REASON, "reason", reason).increment(condemnedRows));
        }
        String dataset = run.dataset() == null ? "unknown" : run.dataset();
        if (run.counts().rowsRead() > 0) {
            DistributionSummary.builder(ValidationMetrics.RUN_QUARANTINE_PERCENT)
                    .description("Percent of a run's rows that went to quarantine")
                    .tags(LakeMetrics.TAG_DATASET, dataset)
                    .register(metrics)
                    .record(100.0 * run.counts().quarantined() / run.counts().rowsRead());
        }
        metrics.counter(ValidationMetrics.SCHEMA_DRIFT_COLUMNS, LakeMetrics.TAG_DATASET, dataset, ValidationMetrics.TAG_KIND, "unknown")
                .increment(run.drift().unknownColumns().size());
        metrics.counter(ValidationMetrics.SCHEMA_DRIFT_COLUMNS, LakeMetrics.TAG_DATASET, dataset, ValidationMetrics.TAG_KIND, "missing")
                .increment(run.drift().missingColumns().size());
        countUnseenEnumValues(run, dataset);
    }

    /**
     * Unseen enum values, labelled by dataset: contract v1 has one enumerated column, {@code Currency};
     * a well-formed code that is not on the allow-list is an unseen value (counted per row, from
     * {@code CURRENCY_NOT_ALLOWED}).
     */
    private void countUnseenEnumValues(RunValidated run, String dataset) {
        long unseen = run.quarantine() == null ? 0 : run.quarantine().errorCounts().getOrDefault("CURRENCY_NOT_ALLOWED", 0L);
        metrics.counter(ValidationMetrics.DRIFT_UNSEEN_ENUM_VALUES, LakeMetrics.TAG_DATASET, dataset, "column", "Currency").increment(unseen);
    }
}
