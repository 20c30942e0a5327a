package dev.mortgagelake.publish.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectNotFoundException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps {@code <root>_LATEST.json} naming the newest committed version. The pointer FOLLOWS the
 * version log; it is never the place where a commit is decided.
 *
 * <p>{@link #refresh()} loops: find the newest version {@code L} in the log; if the pointer already
 * names {@code L} (or newer) stop; otherwise write a pointer for {@code L} (a plain whole-object PUT:
 * readers see the old or the new document, never a mix) and look again. Guarantee: once every
 * writer's {@code refresh()} has returned, the pointer names the newest version. (The last write to
 * the pointer is followed by its writer's own re-check; had a newer version existed then, that writer
 * would have written again.) While publishers overlap, a slower one may briefly write an older
 * version over a newer one; its own re-check then moves the pointer forward again. This needs no
 * {@code If-Match}, which the local S3 server does not make atomic under concurrency. Readers that
 * must never see a step backwards resolve the newest version from the log instead.
 *
 * <p>Refreshing is idempotent and safe to repeat at any time: it is also the repair for a pointer
 * left behind by a publisher that stopped between its commit and its pointer write.
 *
 * <p>Tables with a {@code current/} copy do not use {@link #refresh()}: their pointer may only
 * name a version once {@code current/} holds it, so {@code CurrentReconciler} syncs, verifies and
 * then calls {@link #publish(TableSnapshot)}.
 */
public final class LatestPointerWriter {

    /** Bound on refresh rounds; each extra round needs a newer version committed meanwhile. */
    static final int MAX_ROUNDS = 64;

    private static final String JSON = "application/json";

    private final ObjectStore store;
    private final TableVersionLog log;
    private final String schemaVersion;
    private final String partitionPath;
    private final Clock clock;

    /**
     * @param schemaVersion the table's schema version, written as {@code schema_version}
     * @param partitionPath the table's data prefix, written as {@code partition_path} (Silver:
     *                      {@code silver/mortgages/transactions/})
     */
    public LatestPointerWriter(ObjectStore store, TableVersionLog log, String schemaVersion, String partitionPath, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.log = Objects.requireNonNull(log, "log");
        this.schemaVersion = Objects.requireNonNull(schemaVersion, "schemaVersion");
        this.partitionPath = Objects.requireNonNull(partitionPath, "partitionPath");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Location location() {
        return log.table().latestPointer();
    }

    /**
     * The pointer as stored, or empty if there is none yet.
     *
     * @throws StorageException (not retryable) if the document is not a valid pointer
     */
    public Optional<LatestPointer> read() {
        Optional<byte[]> bytes = readBytes();
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(decode(bytes.get()));
        } catch (IOException | IllegalArgumentException e) {
            throw new StorageException("Pointer " + location() + " is not a valid _LATEST.json: " + e.getMessage(), false, e);
        }
    }

    /**
     * Moves the pointer to the newest committed version, looping until it is stable.
     *
     * @return the pointer now in place, or empty if the table has no version yet
     * @throws StorageException if the store fails, or (retryable) if the table kept moving for
     *                          {@value #MAX_ROUNDS} rounds; the commit itself is unaffected either way
     */
    public Optional<LatestPointer> refresh() {
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            long latest = log.latestVersion();
            if (latest == 0) {
                return Optional.empty();
            }
            Optional<LatestPointer> current = readForRepair();
            if (current.isPresent() && current.get().tableVersion() >= latest
                    && log.table().root().equals(current.get().tableRoot())) {
                return current;
            }
            TableSnapshot snapshot = log.read(latest);
            LatestPointer pointer = pointerFor(snapshot);
            store.replace(location(), encode(pointer), JSON);
        }
        throw new StorageException("Cannot publish " + location() + ": the table kept moving for " + MAX_ROUNDS
                + " rounds; refresh again", true);
    }

    /**
     * Writes the pointer for {@code snapshot} unless the stored pointer already names it or a newer
     * version of this table. For tables with a {@code current/} copy, the caller
     * ({@code CurrentReconciler}) calls this only after {@code current/} was verified to hold
     * exactly {@code snapshot}'s files.
     *
     * @return the pointer in place afterwards
     */
    public LatestPointer publish(TableSnapshot snapshot) {
        return publish(snapshot, Optional.empty());
    }

    /**
     * As {@link #publish(TableSnapshot)}, naming {@code iceberg}, the Iceberg snapshot that holds
     * {@code snapshot}'s version. A stored pointer to the same version that names another Iceberg
     * snapshot (or none, written before an Iceberg table followed this table) is replaced.
     */
    public LatestPointer publish(TableSnapshot snapshot, Optional<CatalogSnapshot> iceberg) {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(iceberg, "iceberg");
        if (snapshot.version() < 1) {
            throw new IllegalArgumentException("Only committed versions are published, not version " + snapshot.version());
        }
        Optional<LatestPointer> current = readForRepair();
        if (current.isPresent() && log.table().root().equals(current.get().tableRoot())) {
            LatestPointer stored = current.get();
            boolean sameIceberg = iceberg.isEmpty() || iceberg.get().snapshotId() == Objects.requireNonNullElse(stored.icebergSnapshotId(), -1L);
            if (stored.tableVersion() > snapshot.version() || (stored.tableVersion() == snapshot.version() && sameIceberg)) {
                return stored;
            }
        }
        LatestPointer pointer = pointerFor(snapshot);
        if (iceberg.isPresent()) {
            pointer = pointer.with(iceberg.get());
        }
        store.replace(location(), encode(pointer), JSON);
        return pointer;
    }

    /** The pointer document for {@code snapshot}. */
    public LatestPointer pointerFor(TableSnapshot snapshot) {
        List<String> runIds = snapshot.runIds();
        return new LatestPointer(runIds.isEmpty() ? null : runIds.get(runIds.size() - 1), schemaVersion, clock.instant(),
                partitionPath, snapshot.version(), log.table().version(snapshot.version()).key(), log.table().root());
    }

    /** The stored pointer; a document that is not a valid pointer counts as absent, because this writer replaces it. */
    private Optional<LatestPointer> readForRepair() {
        Optional<byte[]> bytes = readBytes();
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(decode(bytes.get()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Optional<byte[]> readBytes() {
        try {
            return Optional.of(store.read(location()));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
    }

    private static LatestPointer decode(byte[] bytes) throws IOException {
        LatestPointer pointer = EventCodec.mapper().readValue(bytes, LatestPointer.class);
        if (pointer == null) {
            throw new IOException("the document is JSON null");
        }
        return pointer;
    }

    private static byte[] encode(LatestPointer pointer) {
        try {
            return EventCodec.mapper().writeValueAsBytes(pointer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode pointer for version " + pointer.tableVersion(), e);
        }
    }
}
