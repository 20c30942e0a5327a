package dev.mortgagelake.service.retry;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.quarkus.RunLogContext;
import dev.mortgagelake.retry.LedgerEntry;
import dev.mortgagelake.retry.QuarantineLedger;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.Locale;
import java.util.Optional;

/**
 * Takes ownership of each run's quarantined rows: records the batch in the ledger, then acknowledges
 * the message. A failure nacks it; SQS redelivers, and the ledger entry is create-once, so a
 * redelivery changes nothing.
 */
@ApplicationScoped
public class RunValidatedConsumer {

    private static final Logger LOG = Logger.getLogger(RunValidatedConsumer.class);

    @Inject
    QuarantineLedger ledger;

    @Inject
    MeterRegistry metrics;

    @Inject
    LedgerBacklog backlog;

    @Incoming(RetryChannels.RUN_VALIDATED)
    @Blocking
    public void onRunValidated(String body) {
        RunValidated run = EventCodec.<RunValidated>decode(body, EventType.RUN_VALIDATED).data();
        try (RunLogContext ignored = RunLogContext.of(run.runId())) {
            Optional<LedgerEntry> entry = ledger.record(run);
            if (entry.isEmpty()) {
                LOG.infof("Run %s quarantined nothing; no ledger entry", run.runId());
                return;
            }
            metrics.counter(RetryMetrics.QUARANTINE_BATCHES, RetryMetrics.TAG_KIND, entry.get().kind().toLowerCase(Locale.ROOT)).increment();
            backlog.refresh();
            LOG.infof("Run %s: ledger entry %s (%s, %d row(s), next attempt due %s)", run.runId(), entry.get().kind(),
                    entry.get().state(), entry.get().rows(), entry.get().nextAttemptDueAt());
        }
    }
}
