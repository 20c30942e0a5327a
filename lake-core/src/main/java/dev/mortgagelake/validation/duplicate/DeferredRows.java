package dev.mortgagelake.validation.duplicate;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The valid rows of a run whose {@code TransactionID} may already be taken ({@link SeenIdFilter} said
 * "maybe seen"), kept in local files by index shard ({@link RowKeys#shardOf}) until the whole input is
 * read; then each shard is resolved on its own, in batches, so the memory of the exact check is that
 * of one batch of deferred rows, not the file's. Within a shard the rows come back in the order they were
 * added (input order), which keeps "the earlier row stays".
 *
 * <p>The caller's part of a row ({@code R}: what it needs to write the row wherever it ends) is stored
 * with a {@link Codec}. Not thread-safe; one instance per run.
 *
 * @param <R> the caller's row
 */
public final class DeferredRows<R> implements Closeable {

    /** Writes and reads the caller's part of a row. */
    public interface Codec<R> {
        void write(DataOutputStream out, R row) throws IOException;

        R read(DataInputStream in) throws IOException;
    }

    /**
     * One deferred row: its id hashes, content fingerprint, input line, the Silver values already
     * parsed (amount in cents, timestamp in UTC microseconds) and the caller's part.
     */
    public record Row<R>(long h1, long h2, long fingerprint, long line, long amountCents, long timestampMicros, R row) {
    }

    /** Receives a batch of a shard's rows, in the order they were added. */
    @FunctionalInterface
    public interface BatchVisitor<R> {
        void visit(List<Row<R>> rows) throws IOException;
    }

    private final Path dir;
    private final Codec<R> codec;
    private final DataOutputStream[] outputs = new DataOutputStream[PublishedRowIndex.SHARDS];
    private final long[] counts = new long[PublishedRowIndex.SHARDS];
    private long total;

    public DeferredRows(Path dir, Codec<R> codec) {
        this.dir = dir;
        this.codec = codec;
    }

    public void add(long h1, long h2, long fingerprint, long line, long amountCents, long timestampMicros, R row) throws IOException {
        int shard = RowKeys.shardOf(h1, PublishedRowIndex.SHARDS);
        DataOutputStream out = outputs[shard];
        if (out == null) {
            Files.createDirectories(dir);
            out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file(shard)), 8192));
            outputs[shard] = out;
        }
        out.writeLong(h1);
        out.writeLong(h2);
        out.writeLong(fingerprint);
        out.writeLong(line);
        out.writeLong(amountCents);
        out.writeLong(timestampMicros);
        codec.write(out, row);
        counts[shard]++;
        total++;
    }

    /** Rows deferred in {@code shard}. */
    public long count(int shard) {
        return counts[shard];
    }

    /** Rows deferred in all shards. */
    public long total() {
        return total;
    }

    /**
     * Reads the rows of {@code shard} in the order they were added, in batches of at most
     * {@code batchRows}, so a shard of any size is read in bounded memory.
     */
    public void forEachBatch(int shard, int batchRows, BatchVisitor<R> visitor) throws IOException {
        if (outputs[shard] == null) {
            return;
        }
        outputs[shard].flush();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file(shard)), 65536))) {
            long left = counts[shard];
            while (left > 0) {
                int size = (int) Math.min(left, batchRows);
                List<Row<R>> batch = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    batch.add(new Row<>(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                            codec.read(in)));
                }
                visitor.visit(batch);
                left -= size;
            }
        }
    }

    /** Closes the files (the caller deletes the staging directory). */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (int shard = 0; shard < outputs.length; shard++) {
            if (outputs[shard] != null) {
                try {
                    outputs[shard].close();
                } catch (IOException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
                outputs[shard] = null;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private Path file(int shard) {
        return dir.resolve(String.format("shard-%03d.rows", shard));
    }

    /** Writes a string of any length, or null (length -1), as UTF-8. */
    public static void writeString(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** Reads what {@link #writeString} wrote. */
    public static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
