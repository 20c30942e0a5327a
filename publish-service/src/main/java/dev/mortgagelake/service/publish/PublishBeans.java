package dev.mortgagelake.service.publish;

import dev.mortgagelake.gold.GoldPublisher;
import dev.mortgagelake.gold.GoldRefresh;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.publish.RunPromotion;
import dev.mortgagelake.publish.audit.AuditPolicy;
import dev.mortgagelake.publish.table.CommitPolicy;
import dev.mortgagelake.quarkus.ChannelEventSink;
import dev.mortgagelake.storage.ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.nio.file.Path;
import java.time.Clock;

/** The publish domain wired to the lake's object store, configuration and outgoing channel. */
@ApplicationScoped
public class PublishBeans {

    @Produces
    @Singleton
    RunPromotion runPromotion(ObjectStore store, LakeLayout layout, PublishConfig config, GoldRefresh gold, Clock clock) {
        PublishConfig.Audit audit = config.audit();
        return new RunPromotion(store, layout, config.schemaVersion(), commitPolicy(config),
                new AuditPolicy(audit.maxQuarantineRate(), audit.rowCountFactor(), audit.rowCountHistory(), audit.rowCountMinHistory(),
                        audit.holdOnDrift()),
                gold, clock);
    }

    /**
     * Gold after every Silver version: publish, then each Gold table's current/ and _LATEST.json.
     * Counted as {@code lake.gold.refresh{outcome}} (published, up_to_date, superseded, failed) and
     * {@code lake.gold.refresh.failures{step}} (publish, or the dataset whose current/ failed).
     */
    @Produces
    @Singleton
    GoldRefresh goldRefresh(ObjectStore store, LakeLayout layout, PublishConfig config, Clock clock, MeterRegistry metrics) {
        GoldPublisher publisher = new GoldPublisher(store, layout, commitPolicy(config), clock, Path.of(config.gold().workDir()));
        return new GoldRefresh(store, layout, publisher, refresh -> {
            String outcome = refresh.failed() ? "failed" : refresh.status().name().toLowerCase(java.util.Locale.ROOT);
            metrics.counter("lake.gold.refresh", "outcome", outcome).increment();
            refresh.failures().keySet().forEach(step -> metrics.counter("lake.gold.refresh.failures", "step", step).increment());
        });
    }

    private static CommitPolicy commitPolicy(PublishConfig config) {
        PublishConfig.Commit commit = config.commit();
        return new CommitPolicy(commit.maxAttempts(), commit.minBackoff(), commit.maxBackoff(), commit.statusChecks());
    }

    @Produces
    @Singleton
    ChannelEventSink runPromotedSink(@Channel(PublishChannels.RUN_PROMOTED) MutinyEmitter<String> runPromoted) {
        return ChannelEventSink.to(runPromoted);
    }
}
