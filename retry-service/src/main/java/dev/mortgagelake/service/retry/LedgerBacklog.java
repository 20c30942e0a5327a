package dev.mortgagelake.service.retry;

import dev.mortgagelake.retry.LedgerEntry;
import dev.mortgagelake.retry.QuarantineLedger;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The retry ledger's backlog as gauges: entries per state, and how long the most overdue pending
 * retry has waited past its due time. The ledger is read on a schedule ({@code lake.retry.backlog.every}),
 * never at scrape time; each read lists the ledger and reads every entry (one GET per batch), which
 * is cheap at the pilot's volume and should become an index document when the ledger grows large.
 * Both known states are always exported (0 when empty), so a dashboard never shows "no data" for them.
 */
@ApplicationScoped
public class LedgerBacklog {

    private static final Logger LOG = Logger.getLogger(LedgerBacklog.class);

    @Inject
    QuarantineLedger ledger;

    @Inject
    MeterRegistry metrics;

    @Inject
    Clock clock;

    private final Map<String, AtomicReference<Double>> entriesByState = new ConcurrentHashMap<>();
    private final AtomicReference<Double> overdueSeconds = new AtomicReference<>(Double.NaN);

    void registerGauges(@Observes StartupEvent started) {
        for (String state : List.of(LedgerEntry.STATE_PENDING_RETRY, LedgerEntry.STATE_AWAITING_REVIEW)) {
            gaugeFor(state);
        }
        Gauge.builder(RetryMetrics.LEDGER_OVERDUE_AGE, overdueSeconds, AtomicReference::get)
                .description("Seconds the most overdue pending retry has waited past its due time (0 when none)")
                .baseUnit("seconds")
                .register(metrics);
        metrics.counter(RetryMetrics.LEDGER_READ_FAILURES);
    }

    @Scheduled(every = "${lake.retry.backlog.every:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            List<LedgerEntry> entries = ledger.list();
            Instant now = clock.instant();
            Map<String, Long> counts = entries.stream().collect(Collectors.groupingBy(LedgerEntry::state, Collectors.counting()));
            entriesByState.keySet().forEach(state -> counts.putIfAbsent(state.toUpperCase(Locale.ROOT), 0L));
            counts.forEach((state, count) -> gaugeFor(state).set(count.doubleValue()));
            overdueSeconds.set(entries.stream()
                    .filter(e -> LedgerEntry.STATE_PENDING_RETRY.equals(e.state()) && e.nextAttemptDueAt() != null)
                    .filter(e -> e.nextAttemptDueAt().isBefore(now))
                    .mapToDouble(e -> Duration.between(e.nextAttemptDueAt(), now).toMillis() / 1000.0)
                    .max().orElse(0));
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
                    .description("Retry ledger entries in this state")
                    .tags(RetryMetrics.TAG_STATE, t)
                    .register(metrics);
            return value;
        });
    }
}
