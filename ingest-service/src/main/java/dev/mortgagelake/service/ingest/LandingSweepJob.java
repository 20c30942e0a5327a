package dev.mortgagelake.service.ingest;

import dev.mortgagelake.ingest.IngestOutcome;
import dev.mortgagelake.ingest.LandingSweep;
import dev.mortgagelake.quarkus.ChannelEventSink;
import dev.mortgagelake.quarkus.LakeMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Locale;

/** Runs the landing sweep periodically; a failed sweep is logged and the next one tries again. */
@ApplicationScoped
public class LandingSweepJob {

    private static final Logger LOG = Logger.getLogger(LandingSweepJob.class);

    @Inject
    LandingSweep sweep;

    @Inject
    ChannelEventSink fileLanded;

    @Inject
    IngestConfig config;

    @Inject
    MeterRegistry metrics;

    @Scheduled(every = "${lake.ingest.sweep.every:60s}", delayed = "${lake.ingest.sweep.every:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweepLanding() {
        if (!config.sweep().enabled()) {
            return;
        }
        try {
            List<IngestOutcome> outcomes = sweep.sweep(config.landingPrefix(), config.sweep().grace(), fileLanded);
            for (IngestOutcome outcome : outcomes) {
                metrics.counter(IngestMetrics.LANDINGS, LakeMetrics.TAG_OUTCOME, outcome.kind().name().toLowerCase(Locale.ROOT),
                                IngestMetrics.TAG_PATH, IngestMetrics.PATH_SWEEP)
                        .increment();
            }
            if (!outcomes.isEmpty()) {
                LOG.infof("Landing sweep ingested %d object(s) whose notification never came", outcomes.size());
            }
        } catch (RuntimeException e) {
            metrics.counter(IngestMetrics.SWEEP_FAILURES).increment();
            LOG.errorf(e, "Landing sweep failed; the next sweep retries");
        }
    }
}
