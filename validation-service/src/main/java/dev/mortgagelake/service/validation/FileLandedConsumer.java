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

    /** Unknown columns seen in file headers (one per column per run). */
    public static final String DRIFT_UNKNOWN_COLUMNS = "lake.drift.unknown.columns";
    /** Contract columns missing from file headers (one per column per run). */
    public static final String DRIFT_MISSING_COLUMNS = "lake.drift.missing.columns";
    /** Rows carrying a well-formed enum value the contract does not know (v1: a currency off the allow-list). */
    public static final String DRIFT_UNSEEN_ENUM_VALUES = "lake.drift.unseen.enum.values";

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
        if (run.condemned() != null) {
            run.condemned().reasonCounts().forEach((reason, rows) ->
                    metrics.counter("lake.condemned.rows.by.reason", "reason", reason).increment(rows));
        }
        countDrift(run);
    }

    /**
     * Drift, labelled by dataset: columns the contract does not know, contract columns missing, and
     * unseen enum values. Contract v1 has one enumerated column, {@code Currency}: a well-formed code
     * that is not on the allow-list is an unseen value (counted per row, from
     * {@code CURRENCY_NOT_ALLOWED}).
     */
    private void countDrift(RunValidated run) {
        String dataset = run.dataset();
        metrics.counter(DRIFT_UNKNOWN_COLUMNS, "dataset", dataset).increment(run.drift().unknownColumns().size());
        metrics.counter(DRIFT_MISSING_COLUMNS, "dataset", dataset).increment(run.drift().missingColumns().size());
        long unseen = run.quarantine() == null ? 0 : run.quarantine().errorCounts().getOrDefault("CURRENCY_NOT_ALLOWED", 0L);
        metrics.counter(DRIFT_UNSEEN_ENUM_VALUES, "dataset", dataset, "column", "Currency").increment(unseen);
    }
}
