package dev.mortgagelake.retry.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectAlreadyExistsException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.storage.StoredObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The append-only audit trail of the quarantine lifecycle, in S3 under
 * {@code quarantine/_audit/mortgages/transactions/date=YYYY-MM-DD/<time>_<action>_<subject>.json}.
 *
 * <p>Invariants: an entry is created once and never changed or deleted (this class has no such
 * operation); its key is derived from its time, action and subject, so recording the same decision
 * again (a redelivered event, a retried request) finds the entry already there and adds nothing.
 * Keys sort by time, so listing returns the trail in order.
 */
public final class AuditTrail {

    private static final DateTimeFormatter KEY_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter KEY_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final ObjectStore store;
    private final LakeLayout layout;
    private final ObjectMapper json = EventCodec.mapper();

    public AuditTrail(ObjectStore store, LakeLayout layout) {
        this.store = store;
        this.layout = layout;
    }

    /** A filter over the trail; null fields match everything. */
    public record Filter(String actor, String action, String batchRunId, Instant since, Instant until) {
        public static final Filter ALL = new Filter(null, null, null, null, null);

        boolean matches(AuditEntry entry) {
            return (actor == null || actor.equals(entry.actor()))
                    && (action == null || action.equalsIgnoreCase(entry.action()))
                    && (batchRunId == null || batchRunId.equals(entry.batchRunId()) || batchRunId.equals(entry.subject()))
                    && (since == null || !entry.at().isBefore(since))
                    && (until == null || entry.at().isBefore(until));
        }
    }

    /**
     * Records one entry (idempotent for the same time, action and subject).
     *
     * @return the entry as stored
     */
    public AuditEntry record(Instant at, String actor, String role, String action, String subject, String batchRunId, String reason,
                             Map<String, String> details) {
        Objects.requireNonNull(at, "at");
        String id = KEY_TIME.format(at) + "_" + action + "_" + subject.replaceAll("[^A-Za-z0-9_-]", "-");
        AuditEntry entry = new AuditEntry(id, at, actor, role, action, subject, batchRunId, reason, details);
        Location location = new Location(layout.buckets().quarantine(), layout.auditPrefix() + "date=" + KEY_DATE.format(at) + "/" + id + ".json");
        try {
            store.create(location, json.writeValueAsBytes(entry), "application/json");
            return entry;
        } catch (ObjectAlreadyExistsException e) {
            return read(location);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entries matching {@code filter}, oldest first, at most {@code limit}. */
    public List<AuditEntry> list(Filter filter, int limit) {
        List<AuditEntry> entries = new ArrayList<>();
        String prefix = layout.auditPrefix();
        for (StoredObject object : (Iterable<StoredObject>) store.listing(layout.buckets().quarantine(), prefix)::iterator) {
            String key = object.location().key();
            if (filter.since() != null && key.compareTo(prefix + "date=" + KEY_DATE.format(filter.since())) < 0) {
                continue;
            }
            if (filter.action() != null && !key.contains("_" + filter.action().toUpperCase(java.util.Locale.ROOT) + "_")) {
                continue;
            }
            AuditEntry entry = read(object.location());
            if (filter.matches(entry)) {
                entries.add(entry);
                if (entries.size() >= limit) {
                    break;
                }
            }
        }
        return entries;
    }

    private AuditEntry read(Location location) {
        try {
            return json.readValue(store.read(location), AuditEntry.class);
        } catch (IOException e) {
            throw new StorageException("Unreadable audit entry " + location + ": " + e.getMessage(), false, e);
        }
    }
}
