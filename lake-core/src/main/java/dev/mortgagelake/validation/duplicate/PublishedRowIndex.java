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

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
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
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 * Nothing is held: a {@link View} streams one shard's entries of the published runs on demand
 * ({@link View#forEachEntry}); a run adds the published ids to its {@link SeenIdFilter} once, and
 * later reads only the shards its possibly-duplicate rows hash to ({@link DeferredRows}).
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

    /** Receives index entries: the id hashes, the content fingerprint and a reference (see the caller). */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(long h1, long h2, long fingerprint, long ref) throws IOException;
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

    /**
     * The published rows of one snapshot, read shard by shard from the store on demand: nothing is
     * kept in memory, so a view costs the same with 1 or 10<sup>9</sup> published rows (each read costs
     * the size of the shard's objects). Not thread-safe.
     */
    public final class View {
        private final String schemaVersion;
        private final List<String> runs;
        private final long tableVersion;
        private final Map<String, Integer> runIndex = new HashMap<>();
        @SuppressWarnings("unchecked")
        private final List<StoredObject>[] listings = new List[SHARDS];
        private long entriesRead;

        private View(String schemaVersion, List<String> runs, long tableVersion) {
            this.schemaVersion = schemaVersion;
            this.runs = runs;
            this.tableVersion = tableVersion;
            for (int i = 0; i < runs.size(); i++) {
                runIndex.put(runs.get(i), i);
            }
        }

        /** True if no run is published (every shard is empty). */
        public boolean isEmpty() {
            return runs.isEmpty();
        }

        /** The run of an entry's reference ({@link #forEachEntry}). */
        public String runId(long ref) {
            return runs.get((int) ref);
        }

        /** The table version this view reflects (0: nothing published). */
        public long tableVersion() {
            return tableVersion;
        }

        /** Entries read from the store so far (a shard read twice counts twice). */
        public long entriesRead() {
            return entriesRead;
        }

        /** The number of published entries in all shards (from the listing of the index objects). */
        public long entryCount() {
            long entries = 0;
            for (int shard = 0; shard < SHARDS; shard++) {
                for (StoredObject object : publishedObjects(shard)) {
                    entries += object.size() / ENTRY_BYTES;
                }
            }
            return entries;
        }

        /**
         * Visits every published entry of {@code shard}; the reference is the run's number for
         * {@link #runId}. Reads one run's shard object at a time.
         */
        public void forEachEntry(int shard, EntryVisitor visitor) throws IOException {
            for (StoredObject object : publishedObjects(shard)) {
                int run = runIndex.get(runOf(object));
                byte[] bytes = store.read(object.location());
                if (bytes.length % ENTRY_BYTES != 0) {
                    throw new StorageException("Index shard " + object.location() + " has " + bytes.length
                            + " bytes, not a multiple of " + ENTRY_BYTES, false);
                }
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    visitor.visit(buffer.getLong(), buffer.getLong(), buffer.getLong(), run);
                }
                entriesRead += bytes.length / ENTRY_BYTES;
            }
        }

        /** The index objects of {@code shard} that belong to published runs (listed once per view). */
        private List<StoredObject> publishedObjects(int shard) {
            if (runs.isEmpty()) {
                return List.of();
            }
            if (listings[shard] == null) {
                List<StoredObject> objects = new ArrayList<>();
                for (StoredObject object : store.list(layout.buckets().silver(), layout.rowIndexShardPrefix(schemaVersion, shard))) {
                    String run = runOf(object);
                    if (run != null && runIndex.containsKey(run)) {
                        objects.add(object);
                    }
                }
                listings[shard] = objects;
            }
            return listings[shard];
        }

        /** Adds every published id to {@code filter}. */
        public void addAllTo(SeenIdFilter filter) throws IOException {
            for (int shard = 0; shard < SHARDS; shard++) {
                forEachEntry(shard, (h1, h2, fingerprint, ref) -> filter.add(h1, h2));
            }
        }
    }

    /** The run of an index object ({@code run_id=R.idx}), or null if the name is not an index object's. */
    private static String runOf(StoredObject object) {
        String name = object.location().fileName();
        if (!name.startsWith("run_id=") || !name.endsWith(".idx")) {
            return null;
        }
        return name.substring("run_id=".length(), name.length() - ".idx".length());
    }

    /** One staged shard object of a run. */
    public record StagedShard(int shard, Path file, long entries, long sizeBytes, String sha256) {
    }

    /**
     * Stages a run's index entries in local files, one per shard (the objects to upload), with each
     * entry's source line in a local sibling file (read back by {@link #forEachEntry}, never uploaded).
     * Not thread-safe.
     */
    public static final class Staging implements Closeable {
        private final Path dir;
        private final DataOutputStream[] outputs = new DataOutputStream[SHARDS];
        private final DataOutputStream[] lines = new DataOutputStream[SHARDS];
        private final MessageDigest[] digests = new MessageDigest[SHARDS];
        private final long[] entries = new long[SHARDS];

        public Staging(Path dir) {
            this.dir = dir;
        }

        /** Adds the entry of a row that went to Silver, from {@code line} of the run's input. */
        public void add(long h1, long h2, long fingerprint, long line) throws IOException {
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
                lines[shard] = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(linesFile(shard)), 2048));
            }
            out.writeLong(h1);
            out.writeLong(h2);
            out.writeLong(fingerprint);
            lines[shard].writeLong(line);
            entries[shard]++;
        }

        /** Visits the entries staged so far in {@code shard}, in the order added; the reference is the entry's line. */
        public void forEachEntry(int shard, EntryVisitor visitor) throws IOException {
            if (outputs[shard] == null) {
                return;
            }
            outputs[shard].flush();
            lines[shard].flush();
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file(shard)), 65536));
                 DataInputStream lineIn = new DataInputStream(new BufferedInputStream(Files.newInputStream(linesFile(shard)), 16384))) {
                for (long i = entries[shard]; i > 0; i--) {
                    visitor.visit(in.readLong(), in.readLong(), in.readLong(), lineIn.readLong());
                }
            }
        }

        /** Closes the files; the shards that received entries. */
        public List<StagedShard> finish() throws IOException {
            List<StagedShard> staged = new ArrayList<>();
            for (int shard = 0; shard < SHARDS; shard++) {
                if (outputs[shard] != null) {
                    outputs[shard].close();
                    outputs[shard] = null;
                    lines[shard].close();
                    lines[shard] = null;
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
                    lines[shard].close();
                    lines[shard] = null;
                }
            }
        }

        private Path file(int shard) {
            return dir.resolve(String.format("shard-%03d.idx", shard));
        }

        private Path linesFile(int shard) {
            return dir.resolve(String.format("shard-%03d.lines", shard));
        }
    }

    /** Location of a staged shard once committed. */
    public dev.mortgagelake.storage.Location locationOf(String schemaVersion, StagedShard shard, RunId runId) {
        return layout.rowIndexShard(schemaVersion, shard.shard(), runId);
    }
}
