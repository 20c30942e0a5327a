package dev.mortgagelake.service.validation;

import dev.mortgagelake.validation.contract.ContractV1;
import dev.mortgagelake.validation.silver.SilverSchemaV1;
import dev.mortgagelake.event.LakeEvents;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.quarkus.ChannelEventSink;
import dev.mortgagelake.quarkus.LakeMetrics;
import dev.mortgagelake.quarkus.RunLogContext;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What both consumers do around one validation (a Bronze run or a retry run): time it, count a fresh
 * result (a stored record returned for a redelivery counts nothing again), emit {@code run-validated}
 * to publish-service and retry-service, and log the outcome, all with the run id in the log context.
 * Returns only after both sends were accepted, so the caller's message may then be acknowledged.
 */
@ApplicationScoped
public class RunValidatedAnnouncer {

    private static final Logger LOG = Logger.getLogger(RunValidatedAnnouncer.class);

    @Inject
    ChannelEventSink runValidated;

    @Inject
    MeterRegistry metrics;

    @Inject
    Clock clock;

    /**
     * Runs {@code validation} for run {@code runId} and announces its result.
     *
     * @param timer the timer of this kind of validation ({@link ValidationMetrics})
     */
    public RunValidated validateAndAnnounce(String runId, String timer, Supplier<RunValidated> validation) {
        try (RunLogContext ignored = RunLogContext.of(runId)) {
            Instant started = clock.instant();
            Timer.Sample sample = Timer.start(metrics);
            RunValidated run = validation.get();
            boolean fresh = !run.validatedAt().isBefore(started);
            if (fresh) {
                sample.stop(metrics.timer(timer, LakeMetrics.TAG_OUTCOME, run.outcome().name().toLowerCase(Locale.ROOT)));
                count(run);
            }
            runValidated.send(LakeEvents.runValidated(run));
            LOG.infof("Run %s %s%s: %d read, %d silver, %d quarantined, %d condemned%s", run.runId(), run.outcome(),
                    run.retry() == null ? "" : " (attempt " + run.attempt() + " of batch " + run.retry().batchRunId() + ")",
                    run.counts().rowsRead(), run.counts().silver(), run.counts().quarantined(), run.counts().condemned(),
                    fresh ? "" : " (already validated; event re-emitted)");
            return run;
        }
    }

    private void count(RunValidated run) {
        String rows = ValidationMetrics.ROWS;
        metrics.counter(rows, ValidationMetrics.TAG_LAYER, "silver", LakeMetrics.TAG_OUTCOME, "valid").increment(run.counts().silver());
        metrics.counter(rows, ValidationMetrics.TAG_LAYER, "quarantine", LakeMetrics.TAG_OUTCOME, "invalid").increment(run.counts().quarantined());
        metrics.counter(rows, ValidationMetrics.TAG_LAYER, "condemned", LakeMetrics.TAG_OUTCOME, "condemned").increment(run.counts().condemned());
        metrics.counter(ValidationMetrics.RUNS_VALIDATED, LakeMetrics.TAG_OUTCOME, run.outcome().name().toLowerCase(Locale.ROOT)).increment();
        if (run.condemned() != null) {
            run.condemned().reasonCounts().forEach((reason, condemnedRows) ->
                    metrics.counter(ValidationMetrics.CONDEMNED_ROWS_BY_REASON, "reason", reason).increment(condemnedRows));
        }
        if (run.retry() != null) {
            countRetry(run);
        } else {
            countIncomingQuality(run);
        }
    }

    /** A retry run: its rows by outcome, and the run by reason. */
    private void countRetry(RunValidated run) {
        String retryRows = ValidationMetrics.RETRY_ROWS;
        metrics.counter(retryRows, LakeMetrics.TAG_OUTCOME, "silver").increment(run.counts().silver());
        metrics.counter(retryRows, LakeMetrics.TAG_OUTCOME, "quarantined").increment(run.counts().quarantined());
        metrics.counter(retryRows, LakeMetrics.TAG_OUTCOME, "condemned").increment(run.counts().condemned());
        metrics.counter(ValidationMetrics.RETRY_RUNS, ValidationMetrics.TAG_REASON, run.retry().reason()).increment();
    }

    /**
     * The quality of incoming files (error codes, rejections, quarantine rate, drift): counted for runs
     * read from Bronze only, so that a row is counted once however often it is retried.
     */
    private void countIncomingQuality(RunValidated run) {
        if (run.quarantine() != null) {
            run.quarantine().errorCounts().forEach((code, count) ->
                    metrics.counter(ValidationMetrics.QUARANTINE_ROWS_BY_ERROR, ValidationMetrics.TAG_CODE, code).increment(count));
        }
        if (run.fileRejection() != null) {
            metrics.counter(ValidationMetrics.FILES_REJECTED, ValidationMetrics.TAG_CODE, run.fileRejection().code()).increment();
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
     * Unseen enum values, labelled by dataset and CSV column, counted per row: {@code Currency}, a
     * well-formed code that is not on the allow-list ({@code CURRENCY_NOT_ALLOWED}); {@code TransactionType}
     * (contract v1.1), a value outside the transaction-type enumeration, from the run's
     * {@code drift.new_enum_values.transaction_type} (the values themselves are in the event, not in labels).
     */
    private void countUnseenEnumValues(RunValidated run, String dataset) {
        long unseen = run.quarantine() == null ? 0 : run.quarantine().errorCounts().getOrDefault("CURRENCY_NOT_ALLOWED", 0L);
        metrics.counter(ValidationMetrics.DRIFT_UNSEEN_ENUM_VALUES, LakeMetrics.TAG_DATASET, dataset, "column", "Currency").increment(unseen);
        long unseenTypes = run.drift().newEnumValueRows(SilverSchemaV1.TRANSACTION_TYPE);
        metrics.counter(ValidationMetrics.DRIFT_UNSEEN_ENUM_VALUES, LakeMetrics.TAG_DATASET, dataset, "column", ContractV1.TRANSACTION_TYPE)
                .increment(unseenTypes);
    }
}
