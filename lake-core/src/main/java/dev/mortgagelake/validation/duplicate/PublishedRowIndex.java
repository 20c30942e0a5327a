package dev.mortgagelake.validation.duplicate;

import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.publish.table.TableLocation;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.publish.table.TableVersionLog;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.storage.StoredObject;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The index of rows published in Silver, used to find exact duplicates and id conflicts without
 * reading Silver.
 *
 * <h2>Layout</h2>
 * Every validated run writes, next to its Silver output and before its validation record, one
 * create-once object per shard its valid rows hash to: {@link LakeLayout#rowIndexShard} =
 * {@code silver/_index/mortgages/transactions/schema_v=v1/rows/shard=NNN/run_id=R.idx}, holding for
 * each row the two id hashes and the content fingerprint ({@link RowKeys}; 24 bytes per row).
 * {@value #SHARDS} shards by {@link RowKeys#shardOf}.
 *
 * <h2>What "published" means</h2>
 * An entry counts only while its run is in the Silver table's current snapshot (the version log that
 * publish-service commits; publish-service owns "published"). So the index needs no update on
 * promotion, rollback or backfill: promotion makes a run's entries count, a rollback that removes the
 * run makes them stop counting, a backfill names the runs it supersedes and they are ignored while
 * the backfill is validated, and an entry of a run that is never promoted never counts.
 *
 * <h2>Memory</h2>
 * A {@link View} loads a shard only when a row of the file hashes to it, and only the entries of
 * published runs: 32 bytes per published row of the loaded shards.
 */
public final class PublishedRowIndex {

    /** Number of shards (fixed: changing it re-shards every entry). */
    public static final int SHARDS = 64;

    private static final int ENTRY_BYTES = 24;

    private final ObjectStore store;
    private final LakeLayout layout;

    public PublishedRowIndex(ObjectStore store, LakeLayout layout) {
        this.store = store;
        this.layout = layout;
    }

    /** A row already published: its content fingerprint and the run that published it. */
    public record Match(long fingerprint, String runId) {
    }

    /**
     * The published rows as of now (the current snapshot of {@code schemaVersion}), without the rows
     * of {@code excludedRuns} (the runs a backfill supersedes).
     */
    public View view(String schemaVersion, Collection<String> excludedRuns) {
        TableSnapshot snapshot = new TableVersionLog(store, new TableLocation(layout.buckets().silver(),
                layout.silverTableRoot(schemaVersion))).current();
        Set<String> runs = new LinkedHashSet<>();
        for (List<DataFile> files : snapshot.partitions().values()) {
            for (DataFile file : files) {
                runs.add(file.runId());
            }
        }
        runs.removeAll(excludedRuns);
        return new View(schemaVersion, List.copyOf(runs), snapshot.version());
    }

    /** The published rows of one snapshot; shards are loaded on first use. Not thread-safe. */
    public final class View {
        private final String schemaVersion;
        private final List<String> runs;
        private final long tableVersion;
        private final java.util.Map<String, Integer> runIndex = new java.util.HashMap<>();
        private final RowKeyTable[] shards = new RowKeyTable[SHARDS];
        private long entriesLoaded;

        private View(String schemaVersion, List<String> runs, long tableVersion) {
            this.schemaVersion = schemaVersion;
            this.runs = runs;
            this.tableVersion = tableVersion;
            for (int i = 0; i < runs.size(); i++) {
                runIndex.put(runs.get(i), i);
            }
        }

        /** The published row with this id, or null. */
        public Match find(long h1, long h2) {
            if (runs.isEmpty()) {
                return null;
            }
            RowKeyTable shard = shard(RowKeys.shardOf(h1, SHARDS));
            int slot = shard.find(h1, h2);
            return slot < 0 ? null : new Match(shard.fingerprint(slot), runs.get((int) shard.ref(slot)));
        }

        /** The table version this view reflects (0: nothing published). */
        public long tableVersion() {
            return tableVersion;
        }

        public long entriesLoaded() {
            return entriesLoaded;
        }

        private RowKeyTable shard(int index) {
            RowKeyTable table = shards[index];
            if (table != null) {
                return table;
            }
            List<StoredObject> objects = store.list(layout.buckets().silver(), layout.rowIndexShardPrefix(schemaVersion, index));
            List<byte[]> contents = new ArrayList<>();
            List<Integer> runIndexes = new ArrayList<>();
            long entries = 0;
            for (StoredObject object : objects) {
                String name = object.location().fileName();
                if (!name.startsWith("run_id=") || !name.endsWith(".idx")) {
                    continue;
                }
                Integer run = runIndex.get(name.substring("run_id=".length(), name.length() - ".idx".length()));
                if (run == null) {
                    continue;
                }
                byte[] bytes = store.read(object.location());
                if (bytes.length % ENTRY_BYTES != 0) {
                    throw new StorageException("Index shard " + object.location() + " has " + bytes.length
                            + " bytes, not a multiple of " + ENTRY_BYTES, false);
                }
                contents.add(bytes);
                runIndexes.add(run);
                entries += bytes.length / ENTRY_BYTES;
            }
            table = new RowKeyTable((int) Math.min(Integer.MAX_VALUE / 2, entries));
            for (int i = 0; i < contents.size(); i++) {
                ByteBuffer buffer = ByteBuffer.wrap(contents.get(i));
                while (buffer.hasRemaining()) {
                    table.add(buffer.getLong(), buffer.getLong(), buffer.getLong(), runIndexes.get(i));
                }
            }
            entriesLoaded += entries;
            shards[index] = table;
            return table;
        }
    }

    /** One staged shard object of a run. */
    public record StagedShard(int shard, Path file, long entries, long sizeBytes, String sha256) {
    }

    /** Stages a run's index entries in local files, one per shard. Not thread-safe. */
    public static final class Staging implements Closeable {
        private final Path dir;
        private final DataOutputStream[] outputs = new DataOutputStream[SHARDS];
        private final MessageDigest[] digests = new MessageDigest[SHARDS];
        private final long[] entries = new long[SHARDS];

        public Staging(Path dir) {
            this.dir = dir;
        }

        public void add(long h1, long h2, long fingerprint) throws IOException {
            int shard = RowKeys.shardOf(h1, SHARDS);
            DataOutputStream out = outputs[shard];
            if (out == null) {
                Files.createDirectories(dir);
                try {
                    digests[shard] = MessageDigest.getInstance("SHA-256");
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("SHA-256 is required of every JVM", e);
                }
                OutputStream file = Files.newOutputStream(file(shard));
                out = new DataOutputStream(new BufferedOutputStream(new DigestOutputStream(file, digests[shard]), 8192));
                outputs[shard] = out;
            }
            out.writeLong(h1);
            out.writeLong(h2);
            out.writeLong(fingerprint);
            entries[shard]++;
        }

        /** Closes the files; the shards that received entries. */
        public List<StagedShard> finish() throws IOException {
            List<StagedShard> staged = new ArrayList<>();
            for (int shard = 0; shard < SHARDS; shard++) {
                if (outputs[shard] != null) {
                    outputs[shard].close();
                    outputs[shard] = null;
                    staged.add(new StagedShard(shard, file(shard), entries[shard], entries[shard] * ENTRY_BYTES,
                            HexFormat.of().formatHex(digests[shard].digest())));
                }
            }
            return staged;
        }

        @Override
        public void close() throws IOException {
            for (int shard = 0; shard < SHARDS; shard++) {
                if (outputs[shard] != null) {
                    outputs[shard].close();
                    outputs[shard] = null;
                }
            }
        }

        private Path file(int shard) {
            return dir.resolve(String.format("shard-%03d.idx", shard));
        }
    }

    /** Location of a staged shard once committed. */
    public dev.mortgagelake.storage.Location locationOf(String schemaVersion, StagedShard shard, RunId runId) {
        return layout.rowIndexShard(schemaVersion, shard.shard(), runId);
    }
}
