package dev.mortgagelake.service.ingest;

import dev.mortgagelake.ingest.LandingIngest;
import dev.mortgagelake.ingest.LandingSweep;
import dev.mortgagelake.ingest.backfill.Backfill;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.quarkus.ChannelEventSink;
import dev.mortgagelake.storage.ObjectStore;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.time.Clock;

/** The ingest domain wired to the lake's object store and the outgoing channel. */
@ApplicationScoped
public class IngestBeans {

    @Produces
    @Singleton
    LandingIngest landingIngest(ObjectStore store, LakeLayout layout, Clock clock) {
        return new LandingIngest(store, layout, clock);
    }

    @Produces
    @Singleton
    LandingSweep landingSweep(ObjectStore store, LakeLayout layout, LandingIngest ingest, Clock clock) {
        return new LandingSweep(store, layout, ingest, clock);
    }

    @Produces
    @Singleton
    Backfill backfill(ObjectStore store, LakeLayout layout, Clock clock) {
        return new Backfill(store, layout, clock);
    }

    @Produces
    @Singleton
    ChannelEventSink fileLandedSink(@Channel(IngestChannels.FILE_LANDED) MutinyEmitter<String> fileLanded) {
        return ChannelEventSink.to(fileLanded);
    }
}
