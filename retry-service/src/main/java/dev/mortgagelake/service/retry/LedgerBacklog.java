package dev.mortgagelake.service.retry;

import dev.mortgagelake.retry.LedgerBatch;
import dev.mortgagelake.retry.LedgerState;
import dev.mortgagelake.retry.QuarantineLedger;
import dev.mortgagelake.retry.RetryLifecycle;
import dev.mortgagelake.retry.approval.OperatorRequests;
import dev.mortgagelake.retry.approval.RequestView;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The retry ledger's backlog as gauges: batches per state, the age of the oldest due retry, and the
 * operator requests waiting for an approver. The ledger is read on a schedule
 * ({@code lake.retry.backlog.every}) and after each handled run, never at scrape time; each read lists
 * the ledger and reads every open batch (terminal batches are cached), which is cheap at the pilot's
 * volume and should become an index document when the ledger grows large. Every non-terminal
 * {@link LedgerState} is always exported (0 when empty), so a dashboard never shows "no data" for them.
 */
@ApplicationScoped
public class LedgerBacklog {

    private static final Logger LOG = Logger.getLogger(LedgerBacklog.class);

    @Inject
    QuarantineLedger ledger;

    @Inject
    OperatorRequests requests;

    @Inject
    MeterRegistry metrics;

    @Inject
    Clock clock;

    private final Map<String, AtomicReference<Double>> entriesByState = new ConcurrentHashMap<>();
    private final AtomicReference<Double> overdueSeconds = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> pendingApprovals = new AtomicReference<>(Double.NaN);

    void registerGauges(@Observes StartupEvent started) {
        for (LedgerState state : LedgerState.values()) {
            if (!state.terminal()) {
                gaugeFor(state.name());
            }
        }
        Gauge.builder(RetryMetrics.LEDGER_OVERDUE_AGE, overdueSeconds, AtomicReference::get)
                .description("Age of the oldest due retry: seconds the most overdue outstanding attempt has been due (0 when none)")
                .baseUnit("seconds")
                .register(metrics);
        Gauge.builder(RetryMetrics.PENDING_APPROVALS, pendingApprovals, AtomicReference::get)
                .description("Operator requests (retry now, extra attempt, reprocessing) waiting for an approver")
                .register(metrics);
        metrics.counter(RetryMetrics.LEDGER_READ_FAILURES);
    }

    @Scheduled(every = "${lake.retry.backlog.every:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            List<LedgerBatch> batches = ledger.batches();
            Map<String, Long> counts = batches.stream().collect(Collectors.groupingBy(b -> b.state().name(), Collectors.counting()));
            entriesByState.keySet().forEach(state -> counts.putIfAbsent(state.toUpperCase(Locale.ROOT), 0L));
            counts.forEach((state, count) -> gaugeFor(state).set(count.doubleValue()));
            overdueSeconds.set(RetryLifecycle.oldestOverdueSeconds(batches, clock.instant()));
            pendingApprovals.set((double) requests.list(RequestView.PENDING).size());
        } catch (RuntimeException e) {
            metrics.counter(RetryMetrics.LEDGER_READ_FAILURES).increment();
            LOG.warnf("Could not read the retry ledger: %s", e.getMessage());
        }
    }

    private AtomicReference<Double> gaugeFor(String state) {
        String tag = state.toLowerCase(Locale.ROOT);
        return entriesByState.computeIfAbsent(tag, t -> {
            AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
            Gauge.builder(RetryMetrics.LEDGER_ENTRIES, value, AtomicReference::get)
                    .description("Retry ledger batches in this state")
                    .tags(RetryMetrics.TAG_STATE, t)
                    .register(metrics);
            return value;
        });
    }
}
