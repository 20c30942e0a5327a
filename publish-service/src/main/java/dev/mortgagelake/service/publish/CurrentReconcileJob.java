package dev.mortgagelake.service.publish;

import dev.mortgagelake.gold.GoldRefresh;
import dev.mortgagelake.publish.RunPromotion;
import dev.mortgagelake.publish.current.CurrentReconciler;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Repairs what a publisher killed after its commit left behind: makes the Silver table's
 * {@code current/} hold the newest version and then moves {@code _LATEST.json} to it
 * ({@link CurrentReconciler}); then brings Gold up to the newest Silver version and reconciles each
 * Gold table's {@code current/} and {@code _LATEST.json} ({@link GoldRefresh#catchUp}), which repairs
 * a Gold publish that failed or was interrupted after its Silver commit. Idempotent; a failure is
 * logged and counted, and the next run retries.
 */
@ApplicationScoped
public class CurrentReconcileJob {

    private static final Logger LOG = Logger.getLogger(CurrentReconcileJob.class);

    @Inject
    RunPromotion promotion;

    @Inject
    GoldRefresh gold;

    @Inject
    MeterRegistry metrics;

    @Scheduled(every = "${lake.publish.reconcile.every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reconcile() {
        try {
            Optional<CurrentReconciler.Reconciliation> done = reconcileNow();
            done.filter(CurrentReconciler.Reconciliation::repaired).ifPresent(r -> LOG.infof(
                    "Reconciled current/ to Silver version %d: %d file(s) copied, %d stale file(s) deleted", r.version(), r.copied(),
                    r.deleted()));
        } catch (RuntimeException e) {
            metrics.counter("lake.publish.reconcile", "outcome", "failed").increment();
            LOG.warnf("Reconciling current/ failed (next run retries): %s", e.getMessage());
        }
        GoldRefresh.Refresh refresh = catchUpGold();
        if (refresh.failed()) {
            LOG.warnf("Gold catch-up failed (next run retries): %s", refresh.failures());
        }
    }

    /** Gold brought up to the newest Silver version, each Gold current/ and pointer reconciled (never throws; counted by GoldRefresh's observer). */
    public GoldRefresh.Refresh catchUpGold() {
        return gold.catchUp();
    }

    /** One reconciliation, counted by outcome. */
    public Optional<CurrentReconciler.Reconciliation> reconcileNow() {
        Optional<CurrentReconciler.Reconciliation> done = promotion.reconcile();
        metrics.counter("lake.publish.reconcile", "outcome",
                done.map(r -> r.repaired() ? "repaired" : "in_sync").orElse("empty_table")).increment();
        return done;
    }
}
