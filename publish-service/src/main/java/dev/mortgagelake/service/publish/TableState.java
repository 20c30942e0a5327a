package dev.mortgagelake.service.publish;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.publish.RunPromotion;
import dev.mortgagelake.publish.table.LatestPointer;
import dev.mortgagelake.publish.table.TableLocation;
import dev.mortgagelake.quarkus.LakeMetrics;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The published table's state as gauges: how old its {@code _LATEST.json} is (freshness) and how many
 * runs are held waiting for an operator. The pointer and the held prefix are read on a schedule
 * ({@code lake.publish.state.every}) and after every promotion, never at scrape time; the age itself
 * is computed at scrape time from the {@code published_at} last read (no S3 call).
 *
 * <p>Before a pointer exists (a table never published) the age is NaN, which matches no alert
 * threshold: "never published" is a deploy question, not staleness.
 */
@ApplicationScoped
public class TableState {

    private static final Logger LOG = Logger.getLogger(TableState.class);

    @Inject
    ObjectStore store;

    @Inject
    RunPromotion promotion;

    @Inject
    MeterRegistry metrics;

    @Inject
    Clock clock;

    private final AtomicReference<Instant> publishedAt = new AtomicReference<>();
    private final AtomicReference<Double> held = new AtomicReference<>(Double.NaN);

    void registerGauges(@Observes StartupEvent started) {
        Tags tags = Tags.of(PublishMetrics.TAG_LAYER, "silver", LakeMetrics.TAG_DATASET, LakeLayout.DATASET_PATH);
        Gauge.builder(PublishMetrics.TABLE_PUBLISHED_AGE, this, TableState::ageSeconds)
                .description("Seconds since the table's _LATEST.json was published (its published_at)")
                .baseUnit("seconds")
                .tags(tags)
                .register(metrics);
        Gauge.builder(PublishMetrics.RUNS_HELD, held, AtomicReference::get)
                .description("Runs held by the promotion checks, waiting for an operator's decision")
                .tags(tags)
                .register(metrics);
        metrics.counter(PublishMetrics.TABLE_STATE_FAILURES);
    }

    @Scheduled(every = "${lake.publish.state.every:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        TableLocation table = promotion.table();
        try {
            Location pointer = table.latestPointer();
            if (store.head(pointer).isPresent()) {
                try (InputStream in = store.open(pointer)) {
                    publishedAt.set(EventCodec.mapper().readValue(in, LatestPointer.class).publishedAt());
                }
            }
            Location heldPrefix = table.controlDocument(RunPromotion.HELD_PREFIX);
            held.set((double) store.listing(heldPrefix.bucket(), heldPrefix.key()).count());
        } catch (Exception e) {
            metrics.counter(PublishMetrics.TABLE_STATE_FAILURES).increment();
            LOG.warnf("Could not read the state of table %s: %s", table, e.getMessage());
        }
    }

    private double ageSeconds() {
        Instant at = publishedAt.get();
        return at == null ? Double.NaN : Duration.between(at, clock.instant()).toMillis() / 1000.0;
    }
}
