package dev.mortgagelake.validation.duplicate;

import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.publish.table.TableLocation;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.publish.table.TableVersionLog;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.ParallelRequests;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.storage.StoredObject;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    /** Index bytes read concurrently at most (then visited before the next batch is read). */
    static final long READ_BATCH_BYTES = 16L << 20;

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
        return new View(schemaVersion, List.copyOf(runs));
    }

    /**
     * The published rows of one snapshot, read shard by shard from the store on demand: nothing is
     * kept in memory, so a view costs the same with 1 or 10<sup>9</sup> published rows (each read costs
     * the size of the shard's objects). Not thread-safe.
     */
    public final class View {
        private final String schemaVersion;
        private final List<String> runs;
        private final Map<String, Integer> runIndex = new HashMap<>();
        @SuppressWarnings("unchecked")
        private final List<StoredObject>[] listings = new List[SHARDS];

        private View(String schemaVersion, List<String> runs) {
            this.schemaVersion = schemaVersion;
            this.runs = runs;
            for (int i = 0; i < runs.size(); i++) {
                runIndex.put(runs.get(i), i);
            }
        }

        /** The run of an entry's reference ({@link #forEachEntry}). */
        public String runId(long ref) {
            return runs.get((int) ref);
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
         * Visits every published entry of {@code shard}, in listing order; the reference is the run's
         * number for {@link #runId}. The shard's objects are read concurrently in batches of at most
         * {@value #READ_BATCH_BYTES} bytes (one round trip per batch instead of per object), so memory
         * stays bounded whatever the shard holds.
         */
        public void forEachEntry(int shard, EntryVisitor visitor) throws IOException {
            visit(publishedObjects(shard), visitor);
        }

        private void visit(List<StoredObject> objects, EntryVisitor visitor) throws IOException {
            int from = 0;
            while (from < objects.size()) {
                int to = from;
                long bytes = 0;
                while (to < objects.size() && (to == from || bytes + objects.get(to).size() <= READ_BATCH_BYTES)) {
                    bytes += objects.get(to).size();
                    to++;
                }
                List<StoredObject> batch = objects.subList(from, to);
                List<byte[]> contents = ParallelRequests.map(batch, object -> store.read(object.location()));
                for (int i = 0; i < batch.size(); i++) {
                    StoredObject object = batch.get(i);
                    byte[] content = contents.get(i);
                    if (content.length % ENTRY_BYTES != 0) {
                        throw new StorageException("Index shard " + object.location() + " has " + content.length
                                + " bytes, not a multiple of " + ENTRY_BYTES, false);
                    }
                    int run = runIndex.get(runOf(object));
                    ByteBuffer buffer = ByteBuffer.wrap(content);
                    while (buffer.hasRemaining()) {
                        visitor.visit(buffer.getLong(), buffer.getLong(), buffer.getLong(), run);
                    }
                    contents.set(i, null);
                }
                from = to;
            }
        }

        /** The index objects of {@code shard} that belong to published runs (listed once per view). */
        private List<StoredObject> publishedObjects(int shard) {
            if (runs.isEmpty()) {
                return List.of();
            }
            if (listings[shard] == null) {
                // Streamed: only the objects of published runs are kept, never the shard's whole listing.
                listings[shard] = store.listing(layout.buckets().silver(), layout.rowIndexShardPrefix(schemaVersion, shard))
                        .filter(object -> {
                            String run = runOf(object);
                            return run != null && runIndex.containsKey(run);
                        })
                        .toList();
            }
            return listings[shard];
        }

        /** Adds every published id to {@code filter}: every shard listed concurrently, then read in batches. */
        public void addAllTo(SeenIdFilter filter) throws IOException {
            if (runs.isEmpty()) {
                return;
            }
            List<Integer> shards = new ArrayList<>();
            for (int shard = 0; shard < SHARDS; shard++) {
                shards.add(shard);
            }
            List<StoredObject> all = new ArrayList<>();
            for (List<StoredObject> objects : ParallelRequests.map(shards, this::publishedObjects)) {
                all.addAll(objects);
            }
            visit(all, (h1, h2, fingerprint, ref) -> filter.add(h1, h2));
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
        private final ShardFile[] shards = new ShardFile[SHARDS];

        public Staging(Path dir) {
            this.dir = dir;
        }

        /** Adds the entry of a row that went to Silver, from {@code line} of the run's input. */
        public void add(long h1, long h2, long fingerprint, long line) throws IOException {
            int shard = RowKeys.shardOf(h1, SHARDS);
            ShardFile file = shards[shard];
            if (file == null) {
                Files.createDirectories(dir);
                file = new ShardFile(dir.resolve(String.format("shard-%03d.idx", shard)),
                        dir.resolve(String.format("shard-%03d.lines", shard)));
                shards[shard] = file;
            }
            file.add(h1, h2, fingerprint, line);
        }

        /** Visits the entries staged so far in {@code shard}, in the order added; the reference is the entry's line. */
        public void forEachEntry(int shard, EntryVisitor visitor) throws IOException {
            if (shards[shard] != null) {
                shards[shard].forEachEntry(visitor);
            }
        }

        /** Closes the files; the shards that received entries. */
        public List<StagedShard> finish() throws IOException {
            List<StagedShard> staged = new ArrayList<>();
            for (int shard = 0; shard < SHARDS; shard++) {
                ShardFile file = shards[shard];
                if (file != null) {
                    String sha256 = file.finish();
                    shards[shard] = null;
                    staged.add(new StagedShard(shard, file.entriesPath, file.entries, file.entries * ENTRY_BYTES, sha256));
                }
            }
            return staged;
        }

        @Override
        public void close() throws IOException {
            for (int shard = 0; shard < SHARDS; shard++) {
                if (shards[shard] != null) {
                    shards[shard].close();
                    shards[shard] = null;
                }
            }
        }
    }

    /**
     * One shard of a run's staged entries: the entries file (uploaded as is; SHA-256 computed while
     * written) and the local file of their lines, each written through a buffer of its own.
     */
    private static final class ShardFile implements Closeable {
        private static final int BUFFERED_ENTRIES = 512;

        private final Path entriesPath;
        private final Path linesPath;
        private final FileChannel entriesOut;
        private final FileChannel linesOut;
        private final ByteBuffer entryBuffer = ByteBuffer.allocate(BUFFERED_ENTRIES * ENTRY_BYTES);
        private final ByteBuffer lineBuffer = ByteBuffer.allocate(BUFFERED_ENTRIES * Long.BYTES);
        private final MessageDigest digest;
        private long entries;

        ShardFile(Path entriesPath, Path linesPath) throws IOException {
            this.entriesPath = entriesPath;
            this.linesPath = linesPath;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every JVM", e);
            }
            this.entriesOut = FileChannel.open(entriesPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            this.linesOut = FileChannel.open(linesPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }

        void add(long h1, long h2, long fingerprint, long line) throws IOException {
            entryBuffer.putLong(h1).putLong(h2).putLong(fingerprint);
            lineBuffer.putLong(line);
            entries++;
            if (!entryBuffer.hasRemaining()) {
                flush();
            }
        }

        private void flush() throws IOException {
            entryBuffer.flip();
            digest.update(entryBuffer.array(), 0, entryBuffer.limit());
            writeFully(entriesOut, entryBuffer);
            lineBuffer.flip();
            writeFully(linesOut, lineBuffer);
        }

        private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }

        void forEachEntry(EntryVisitor visitor) throws IOException {
            flush();
            ByteBuffer entriesIn = ByteBuffer.allocate(64 * 1024 / ENTRY_BYTES * ENTRY_BYTES);
            ByteBuffer linesIn = ByteBuffer.allocate(entriesIn.capacity() / ENTRY_BYTES * Long.BYTES);
            try (FileChannel entriesRead = FileChannel.open(entriesPath, StandardOpenOption.READ);
                 FileChannel linesRead = FileChannel.open(linesPath, StandardOpenOption.READ)) {
                long left = entries;
                while (left > 0) {
                    int batch = (int) Math.min(left, entriesIn.capacity() / ENTRY_BYTES);
                    readFully(entriesRead, entriesIn, batch * ENTRY_BYTES);
                    readFully(linesRead, linesIn, batch * Long.BYTES);
                    for (int i = 0; i < batch; i++) {
                        visitor.visit(entriesIn.getLong(), entriesIn.getLong(), entriesIn.getLong(), linesIn.getLong());
                    }
                    left -= batch;
                }
            }
        }

        private void readFully(FileChannel channel, ByteBuffer buffer, int bytes) throws IOException {
            buffer.clear().limit(bytes);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) {
                    throw new IOException("Staged index file ended early: " + entriesPath);
                }
            }
            buffer.flip();
        }

        /** Flushes and closes both files; the SHA-256 of the entries file. */
        String finish() throws IOException {
            flush();
            close();
            return HexFormat.of().formatHex(digest.digest());
        }

        @Override
        public void close() throws IOException {
            try (entriesOut; linesOut) {
                // closed by try-with-resources
            }
        }
    }
}
