package dev.mortgagelake.publish.current;

import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectAlreadyExistsException;
import dev.mortgagelake.storage.ObjectNotFoundException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.storage.StoredObject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Makes a table's {@code current/} prefix hold exactly the data files of one snapshot.
 *
 * <p>{@link #sync} works in two phases: first every file of the snapshot that is missing (or
 * differs) is copied in, then every object under the prefix that the snapshot does not name is
 * deleted. Copying first means a reader of {@code current/} during a sync never misses a file that
 * both the old and the new version contain; deleting last removes what the new version dropped
 * (an earlier, larger run's files, a superseded or rolled-back run). Objects outside the prefix are
 * never touched: {@code current/} is a derived copy that can always be rebuilt from the snapshot.
 *
 * <p>Idempotent: a sync interrupted at any point (a killed publisher) is completed by the next sync
 * to the same or a newer snapshot. A sync never writes {@code _LATEST.json}; that is
 * {@link CurrentReconciler}'s job, after the sync is verified.
 *
 * <p>Thread-safe (stateless apart from the store).
 */
public final class CurrentMirror {

    private static final Logger LOG = Logger.getLogger(CurrentMirror.class);
    private static final int BUFFER = 64 * 1024;

    private final ObjectStore store;
    private final CurrentLayout layout;

    public CurrentMirror(ObjectStore store, CurrentLayout layout) {
        this.store = Objects.requireNonNull(store, "store");
        this.layout = Objects.requireNonNull(layout, "layout");
    }

    public CurrentLayout layout() {
        return layout;
    }

    /** Every {@code current/} key {@code snapshot} needs, with the data file it copies. */
    public Map<Location, DataFile> expected(TableSnapshot snapshot) {
        Map<Location, DataFile> expected = new LinkedHashMap<>();
        snapshot.partitions().forEach((partition, files) -> {
            for (DataFile file : files) {
                Location target = layout.locate(partition, file);
                DataFile previous = expected.put(target, file);
                if (previous != null) {
                    throw new IllegalStateException("Files " + previous.key() + " and " + file.key() + " of version "
                            + snapshot.version() + " both map to " + target);
                }
            }
        });
        return expected;
    }

    /**
     * Copies the missing files of {@code snapshot} into {@code current/}, then deletes every object
     * there that {@code snapshot} does not name.
     *
     * @throws StorageException if the store fails; {@code current/} is then partly synced and the
     *                          next sync completes it
     */
    public SyncReport sync(TableSnapshot snapshot) {
        Map<Location, DataFile> expected = expected(snapshot);
        Map<Location, StoredObject> present = listPresent();
        int copied = 0;
        int kept = 0;
        for (Map.Entry<Location, DataFile> entry : expected.entrySet()) {
            StoredObject existing = present.get(entry.getKey());
            if (existing != null && holds(existing, entry.getValue())) {
                kept++;
                continue;
            }
            if (existing != null) {
                store.delete(entry.getKey()); // a different object under a name we own: replace it
            }
            copy(entry.getValue(), entry.getKey());
            copied++;
        }
        int deleted = 0;
        for (Location stale : present.keySet()) {
            if (!expected.containsKey(stale)) {
                store.delete(stale);
                deleted++;
            }
        }
        if (copied > 0 || deleted > 0) {
            LOG.debugf("Synced %s to version %d: %d copied, %d deleted, %d kept", layout, snapshot.version(), copied, deleted, kept);
        }
        return new SyncReport(snapshot.version(), copied, deleted, kept);
    }

    /**
     * True if {@code current/} holds exactly the files of {@code snapshot} (by name and size; and by
     * SHA-256 if the layout's names are not content-stable). One listing.
     */
    public boolean matches(TableSnapshot snapshot) {
        Map<Location, DataFile> expected = expected(snapshot);
        Map<Location, StoredObject> present = listPresent();
        if (!present.keySet().equals(expected.keySet())) {
            return false;
        }
        return expected.entrySet().stream().allMatch(e -> holds(present.get(e.getKey()), e.getValue()));
    }

    /** What {@code current/} holds: as many entries as the snapshot that was synced last has files. */
    private Map<Location, StoredObject> listPresent() {
        Map<Location, StoredObject> present = new LinkedHashMap<>();
        store.listing(layout.bucket(), layout.prefix()).forEach(object -> present.put(object.location(), object));
        return present;
    }

    private boolean holds(StoredObject existing, DataFile file) {
        if (existing.size() != file.sizeBytes()) {
            return false;
        }
        return layout.contentStable() || file.sha256().equals(sha256(existing.location()));
    }

    /**
     * Copies inside the store (no byte passes through this JVM), create-once. Committed data files
     * are themselves create-once and never rewritten, so the copy needs no ETag pin; a size that
     * differs from the snapshot's means the committed file is not the one the snapshot names, and
     * the copy is removed again rather than left for every later sync to find wrong.
     */
    private void copy(DataFile file, Location target) {
        Location source = layout.source(file);
        StoredObject copied;
        try {
            copied = store.copy(source, target, null);
        } catch (ObjectAlreadyExistsException e) {
            // A concurrent sync copied it first: the name is content-stable, so it holds the same bytes.
            LOG.debugf("%s was copied by a concurrent sync", target);
            return;
        } catch (ObjectNotFoundException e) {
            throw new StorageException("Cannot copy " + source + " to " + target + ": the committed data file is missing", false, e);
        }
        if (copied.size() != file.sizeBytes()) {
            store.delete(target);
            throw new StorageException("Cannot copy " + source + " to " + target + ": it has " + copied.size()
                    + " bytes, the snapshot says " + file.sizeBytes(), false);
        }
    }

    private String sha256(Location location) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
        try (InputStream in = store.open(location)) {
            byte[] buffer = new byte[BUFFER];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (ObjectNotFoundException e) {
            return "";
        } catch (IOException e) {
            throw new StorageException("Cannot read " + location + " for its checksum: " + e.getMessage(), true, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** What one sync did. */
    public record SyncReport(long version, int copied, int deleted, int kept) {
    }
}
