package dev.mortgagelake.service.retry;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.RetryDue;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.quarkus.RunLogContext;
import dev.mortgagelake.retry.LedgerEntry;
import dev.mortgagelake.retry.QuarantineLedger;
import dev.mortgagelake.retry.RetryLifecycle;
import io.micrometer.core.instrument.MeterRegistry;
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
 * Takes ownership of each run's quarantined and condemned rows ({@link RetryLifecycle#onRunValidated}):
 * a retry run retires the batch it re-validated, new batches enter the ledger, and the next attempt of
 * a new quarantine batch is sent at once when it is due within SQS's delay limit. Then the message is
 * acknowledged. A failure nacks it; SQS redelivers, and every ledger write is create-once, so a
 * redelivery changes nothing (metrics count only what this delivery created). A poison message goes
 * to the dead-letter queue ({@link MessageConsumption}).
 */
@ApplicationScoped
public class RunValidatedConsumer {

    private static final Logger LOG = Logger.getLogger(RunValidatedConsumer.class);

    @Inject
    RetryLifecycle lifecycle;

    @Inject
    RetryDispatcher dispatcher;

    @Inject
    MeterRegistry metrics;

    @Inject
    LedgerBacklog backlog;

    @Inject
    MessageConsumption consumption;

    @Incoming(RetryChannels.RUN_VALIDATED)
    @Blocking
    public CompletionStage<Void> onRunValidated(Message<String> message) {
        return consumption.consume(RetryChannels.RUN_VALIDATED, message, this::onRunValidated);
    }

    void onRunValidated(String body) {
        RunValidated run = EventCodec.<RunValidated>decode(body, EventType.RUN_VALIDATED).data();
        try (RunLogContext ignored = RunLogContext.of(run.runId())) {
            RetryLifecycle.Handled handled = lifecycle.onRunValidated(run);
            count(run, handled);
            handled.pending().ifPresent(batch -> dispatcher.dispatch(batch, "schedule"));
            backlog.refresh();
            LOG.infof("Run %s (attempt %d): %s%s%s", run.runId(), run.attempt(),
                    handled.retired() == null ? "" : "retired batch " + handled.retired().batchRunId() + "; ",
                    handled.recorded().batch().map(e -> e.kind() + " batch " + e.state() + " (" + e.rows() + " row(s), next attempt due "
                            + e.nextAttemptDueAt() + "); ").orElse(""),
                    handled.recorded().condemned().map(e -> e.rows() + " row(s) condemned " + e.errorCounts()).orElse("nothing condemned"));
        }
    }

    private void count(RunValidated run, RetryLifecycle.Handled handled) {
        QuarantineLedger.Recorded recorded = handled.recorded();
        if (recorded.batchCreated()) {
            LedgerEntry entry = recorded.batch().orElseThrow();
            metrics.counter(RetryMetrics.QUARANTINE_BATCHES, RetryMetrics.TAG_KIND, entry.kind().toLowerCase(Locale.ROOT)).increment();
            if (LedgerEntry.KIND_ROWS.equals(entry.kind())) {
                metrics.counter(RetryMetrics.RETRIES_SCHEDULED, RetryMetrics.TAG_REASON, RetryDue.REASON_SCHEDULED).increment();
            }
        }
        if (recorded.condemnedCreated()) {
            LedgerEntry entry = recorded.condemned().orElseThrow();
            metrics.counter(RetryMetrics.QUARANTINE_BATCHES, RetryMetrics.TAG_KIND, entry.kind().toLowerCase(Locale.ROOT)).increment();
            entry.errorCounts().forEach((reason, rows) ->
                    metrics.counter(RetryMetrics.CONDEMNED_ROWS, RetryMetrics.TAG_REASON, reason).increment(rows));
        }
        if (handled.retired() != null) {
            metrics.counter(RetryMetrics.RETRY_ROWS, RetryMetrics.TAG_OUTCOME, "succeeded").increment(run.counts().silver());
            metrics.counter(RetryMetrics.RETRY_ROWS, RetryMetrics.TAG_OUTCOME, "failed_again")
                    .increment(run.counts().quarantined() + run.counts().condemned());
        }
    }
}
