package dev.mortgagelake.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.publish.table.TableLocation;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectAlreadyExistsException;
import dev.mortgagelake.storage.ObjectNotFoundException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.storage.StoredObject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The held runs of one table and the operators' decisions on them, as create-once documents:
 * <pre>
 * &lt;root&gt;_held/run_id=R.json             {@link HeldRun}: every reason, the whole run-validated payload
 * &lt;root&gt;_held/decisions/run_id=R.json   {@link HeldRunDecision}: APPROVED or REJECTED, by whom, why
 * </pre>
 * Nothing here is ever replaced or deleted: the held record and the decision are the audit trail.
 */
public final class HeldRuns {

    static final String DECISIONS = "decisions/";

    private final ObjectStore store;
    private final TableLocation table;

    public HeldRuns(ObjectStore store, TableLocation table) {
        this.store = Objects.requireNonNull(store, "store");
        this.table = Objects.requireNonNull(table, "table");
    }

    public Location record(String runId) {
        return table.controlDocument(RunPromotion.HELD_PREFIX + "run_id=" + runId + ".json");
    }

    public Location decisionRecord(String runId) {
        return table.controlDocument(RunPromotion.HELD_PREFIX + DECISIONS + "run_id=" + runId + ".json");
    }

    /** Creates the held record unless one exists (the first hold's reasons are kept). */
    void hold(HeldRun held) {
        try {
            store.create(record(held.runId()), encode(held), "application/json");
        } catch (ObjectAlreadyExistsException e) {
            // held before (redelivery): the first record stands
        }
    }

    public Optional<HeldRun> find(String runId) {
        return readOptional(record(runId), HeldRun.class);
    }

    public Optional<HeldRunDecision> decision(String runId) {
        return readOptional(decisionRecord(runId), HeldRunDecision.class);
    }

    /**
     * Records {@code decision} unless a decision exists.
     *
     * @return the decision in force: {@code decision}, or the earlier one that won
     */
    HeldRunDecision decide(HeldRunDecision decision) {
        try {
            store.create(decisionRecord(decision.runId()), encode(decision), "application/json");
            return decision;
        } catch (ObjectAlreadyExistsException e) {
            return decision(decision.runId()).orElseThrow(() ->
                    new StorageException("Decision record " + decisionRecord(decision.runId()) + " exists but cannot be read", true));
        }
    }

    /** Every held run with its decision (if any), oldest run first. */
    public List<Entry> list() {
        String prefix = table.root() + RunPromotion.HELD_PREFIX;
        List<Entry> entries = new ArrayList<>();
        for (StoredObject object : (Iterable<StoredObject>) store.listing(table.bucket(), prefix)::iterator) {
            String relative = object.location().key().substring(prefix.length());
            if (relative.startsWith("run_id=") && relative.endsWith(".json") && !relative.contains("/")) {
                String runId = relative.substring("run_id=".length(), relative.length() - ".json".length());
                find(runId).ifPresent(held -> entries.add(new Entry(held, decision(runId).orElse(null))));
            }
        }
        return entries;
    }

    /** A held run and the decision on it; {@code decision} is null while it is pending. */
    public record Entry(HeldRun held, HeldRunDecision decision) {

        public String status() {
            return decision == null ? "PENDING" : decision.outcome().name();
        }
    }

    private <T> Optional<T> readOptional(Location location, Class<T> type) {
        byte[] bytes;
        try {
            bytes = store.read(location);
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(EventCodec.mapper().readValue(bytes, type));
        } catch (IOException | IllegalArgumentException e) {
            throw new StorageException(location + " is not a valid " + type.getSimpleName() + " document: " + e.getMessage(), false, e);
        }
    }

    private static byte[] encode(Object document) {
        try {
            return EventCodec.mapper().writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode " + document.getClass().getSimpleName(), e);
        }
    }
}
