package dev.mortgagelake.ingest;

import dev.mortgagelake.event.EventSink;
import dev.mortgagelake.ingest.notification.LandedObject;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StoredObject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Picks up landing objects whose notification never came: every object under the landing prefix
 * that is older than the grace period and has no handled marker is ingested as if notified. The
 * grace period leaves the notification path the first chance; both paths are idempotent anyway.
 */
public final class LandingSweep {

    private static final Logger LOG = Logger.getLogger(LandingSweep.class);

    private final ObjectStore store;
    private final LakeLayout layout;
    private final LandingIngest ingest;
    private final Clock clock;

    public LandingSweep(ObjectStore store, LakeLayout layout, LandingIngest ingest, Clock clock) {
        this.store = store;
        this.layout = layout;
        this.ingest = ingest;
        this.clock = clock;
    }

    /** Ingests every unhandled landing object older than {@code grace}; returns what was done. */
    public List<IngestOutcome> sweep(String landingPrefix, Duration grace, EventSink sink) {
        Set<String> handled = new HashSet<>();
        for (StoredObject marker : (Iterable<StoredObject>) store.listing(layout.buckets().bronze(), layout.landingHandledPrefix())::iterator) {
            String name = marker.location().fileName();
            handled.add(name.substring(0, name.length() - ".json".length()));
        }
        Instant cutoff = clock.instant().minus(grace);
        List<IngestOutcome> outcomes = new ArrayList<>();
        for (StoredObject object : (Iterable<StoredObject>) store.listing(layout.buckets().landing(), landingPrefix)::iterator) {
            if (object.location().key().endsWith("/") || handled.contains(LandingIngest.landingFingerprint(object))) {
                continue;
            }
            if (object.lastModified() != null && object.lastModified().isAfter(cutoff)) {
                continue;
            }
            LOG.infof("Landing sweep found %s without a notification; ingesting it", object.location());
            outcomes.add(ingest.ingest(new LandedObject(object.location(), object.size(), object.etag(), object.lastModified()), sink));
        }
        return outcomes;
    }
}
