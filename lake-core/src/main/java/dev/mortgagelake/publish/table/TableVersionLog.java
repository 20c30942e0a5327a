package dev.mortgagelake.publish.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectNotFoundException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

/**
 * The read side of a table: its version log {@code <root>_versions/}, which is the source of truth
 * and the append-only promotion history.
 *
 * <p>The log is contiguous (1..N, no gaps) because {@link TableCommitter} creates version {@code n+1}
 * only after observing {@code n}. The newest version is found by listing the log (S3 listings are
 * strongly consistent). To avoid a full listing on every call, an instance remembers the newest
 * version it has seen and, while that hint is set, probes forward with HEAD requests
 * ({@code n+1, n+2, ...}); by contiguity the first missing key ends the log, so probing answers the
 * same as listing. After {@value #MAX_PROBES} hits in a row it lists instead. The hint is a cache
 * only: it never moves backwards and is never trusted without a probe.
 *
 * <p>Thread-safe.
 */
public final class TableVersionLog {

    static final int MAX_PROBES = 8;

    private final ObjectStore store;
    private final TableLocation table;
    private final AtomicLong knownVersion = new AtomicLong(-1);

    public TableVersionLog(ObjectStore store, TableLocation table) {
        this.store = Objects.requireNonNull(store, "store");
        this.table = Objects.requireNonNull(table, "table");
    }

    public TableLocation table() {
        return table;
    }

    /** The newest committed version, 0 if the table has none. */
    public long latestVersion() {
        long known = knownVersion.get();
        if (known >= 0) {
            long version = known;
            for (int probe = 0; probe < MAX_PROBES; probe++) {
                if (store.head(table.version(version + 1)).isEmpty()) {
                    observed(version);
                    return version;
                }
                version++;
            }
        }
        long latest = versionNumbers().max().orElse(0);
        observed(latest);
        return latest;
    }

    /** The newest version's snapshot, or {@link TableSnapshot#empty()} if the table has none. */
    public TableSnapshot current() {
        long latest = latestVersion();
        return latest == 0 ? TableSnapshot.empty() : read(latest);
    }

    /**
     * The snapshot of {@code version}.
     *
     * @throws ObjectNotFoundException if that version was never committed
     * @throws StorageException        (not retryable) if the document is not a valid snapshot of that version
     */
    public TableSnapshot read(long version) {
        Location location = table.version(version);
        byte[] bytes = store.read(location);
        TableSnapshot snapshot;
        try {
            snapshot = EventCodec.mapper().readValue(bytes, TableSnapshot.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new StorageException("Table version " + location + " is not a valid snapshot document: " + e.getMessage(), false, e);
        }
        if (snapshot == null) {
            throw new StorageException("Table version " + location + " is not a valid snapshot document: JSON null", false);
        }
        if (snapshot.version() != version) {
            throw new StorageException("Table version " + location + " claims to be version " + snapshot.version(), false);
        }
        return snapshot;
    }

    /** The snapshot of {@code version}, or empty if it was never committed. */
    public Optional<TableSnapshot> find(long version) {
        try {
            return Optional.of(read(version));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Every committed version number in ascending order, from one listing of the log. */
    public List<Long> versions() {
        List<Long> versions = versionNumbers().sorted().boxed().toList();
        if (!versions.isEmpty()) {
            observed(versions.get(versions.size() - 1));
        }
        return versions;
    }

    /** The version numbers in the log, as the listing streams them page by page. */
    private LongStream versionNumbers() {
        return store.listing(table.bucket(), table.versionsPrefix())
                .map(object -> table.versionOf(object.location().key()))
                .filter(OptionalLong::isPresent)
                .mapToLong(OptionalLong::getAsLong);
    }

    /**
     * The promotion history, oldest first: one entry per committed version. Reads every version
     * document, so its cost grows with the log; use {@link #versions()} when numbers suffice.
     */
    public List<HistoryEntry> history() {
        return versions().stream().map(this::read).map(HistoryEntry::of).toList();
    }

    /** Serialises a snapshot exactly as it is stored. */
    static byte[] encode(TableSnapshot snapshot) {
        try {
            return EventCodec.mapper().writeValueAsBytes(snapshot);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode table version " + snapshot.version(), e);
        }
    }

    /** Records that {@code version} is known to exist (the hint only moves forward). */
    void observed(long version) {
        knownVersion.accumulateAndGet(version, Math::max);
    }
}
