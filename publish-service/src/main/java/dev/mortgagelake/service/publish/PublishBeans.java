package dev.mortgagelake.service.publish;

import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.publish.RunPromotion;
import dev.mortgagelake.publish.SilverChangeListener;
import dev.mortgagelake.publish.audit.AuditPolicy;
import dev.mortgagelake.publish.table.CommitPolicy;
import dev.mortgagelake.quarkus.ChannelEventSink;
import dev.mortgagelake.storage.ObjectStore;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.time.Clock;

/** The publish domain wired to the lake's object store, configuration and outgoing channel. */
@ApplicationScoped
public class PublishBeans {

    @Produces
    @Singleton
    RunPromotion runPromotion(ObjectStore store, LakeLayout layout, PublishConfig config, Clock clock) {
        PublishConfig.Commit commit = config.commit();
        PublishConfig.Audit audit = config.audit();
        return new RunPromotion(store, layout, config.schemaVersion(),
                new CommitPolicy(commit.maxAttempts(), commit.minBackoff(), commit.maxBackoff(), commit.statusChecks()),
                new AuditPolicy(audit.maxQuarantineRate(), audit.rowCountFactor(), audit.rowCountHistory(), audit.rowCountMinHistory(),
                        audit.holdOnDrift()),
                SilverChangeListener.NONE, clock);
    }

    @Produces
    @Singleton
    ChannelEventSink runPromotedSink(@Channel(PublishChannels.RUN_PROMOTED) MutinyEmitter<String> runPromoted) {
        return ChannelEventSink.to(runPromoted);
    }
}
