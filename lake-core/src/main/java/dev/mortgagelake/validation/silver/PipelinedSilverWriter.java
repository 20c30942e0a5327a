package dev.mortgagelake.validation.silver;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Puts the Parquet encoding and compression of Silver rows on a second thread, so that reading,
 * decompressing, parsing and classifying (the caller's thread) and encoding (this writer's thread)
 * use both cores. Rows travel in fixed-size batches through a queue of at most {@link #QUEUE_BATCHES}
 * batches, so memory stays bounded whatever the file's size.
 *
 * <p>The same contract as {@link SilverStagingWriter}: {@link #write} in row order, then
 * {@link #finish} (waits for the writer thread and returns the parts), or {@link #close} to abandon.
 * A failure on the writer thread surfaces, with its cause, from the next {@code write} or from
 * {@code finish}. Not thread-safe for callers: one producing thread.
 */
public final class PipelinedSilverWriter implements Closeable {

    static final int BATCH_ROWS = 4096;
    static final int QUEUE_BATCHES = 8;

    private static final Batch END = new Batch(0);

    private final SilverStagingWriter delegate;
    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
    private final Thread encoder;
    private volatile Throwable failure;
    private Batch open = new Batch(BATCH_ROWS);
    private boolean ended;

    public PipelinedSilverWriter(SilverStagingWriter delegate) {
        this.delegate = delegate;
        this.encoder = new Thread(this::encode, "silver-parquet-encoder");
        this.encoder.setDaemon(true);
        this.encoder.start();
    }

    /** Appends one valid row of type {@code UNKNOWN} (see {@link SilverStagingWriter#write}). */
    public void write(String transactionId, String customerId, long amountCents, String currency, long timestampMicros,
                      long sourceLine) throws IOException {
        write(transactionId, customerId, amountCents, currency, timestampMicros, sourceLine,
                dev.mortgagelake.validation.contract.ContractV1.UNKNOWN_TRANSACTION_TYPE);
    }

    /** Appends one valid row (see {@link SilverStagingWriter#write}). */
    public void write(String transactionId, String customerId, long amountCents, String currency, long timestampMicros,
                      long sourceLine, String transactionType) throws IOException {
        open.add(transactionId, customerId, amountCents, currency, timestampMicros, sourceLine, transactionType);
        if (open.size == BATCH_ROWS) {
            hand(open);
            open = new Batch(BATCH_ROWS);
        }
    }

    /** Encodes what is left, waits for the encoder, and returns the finished parts. */
    public List<StagedPart> finish() throws IOException {
        end();
        join();
        rethrowFailure();
        return delegate.finish();
    }

    /** Stops the encoder and abandons the open files (they stay in staging for the caller to delete). */
    @Override
    public void close() throws IOException {
        if (!ended) {
            ended = true;
            encoder.interrupt();
        }
        join();
        delegate.close();
    }

    private void end() throws IOException {
        if (ended) {
            throw new IllegalStateException("Already finished or closed");
        }
        if (open.size > 0) {
            hand(open);
        }
        hand(END);
        ended = true;
    }

    private void hand(Batch batch) throws IOException {
        try {
            while (!queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                rethrowFailure();
                if (!encoder.isAlive()) {
                    throw new IOException("The Silver Parquet encoder stopped unexpectedly");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while handing rows to the Silver Parquet encoder");
        }
        rethrowFailure();
    }

    private void encode() {
        try {
            while (true) {
                Batch batch = queue.take();
                if (batch == END) {
                    return;
                }
                for (int i = 0; i < batch.size; i++) {
                    delegate.write(batch.transactionIds[i], batch.customerIds[i], batch.amounts[i], batch.currencies[i],
                            batch.timestamps[i], batch.lines[i], batch.types[i]);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void join() throws IOException {
        try {
            encoder.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for the Silver Parquet encoder");
        }
    }

    private void rethrowFailure() throws IOException {
        Throwable t = failure;
        if (t instanceof IOException io) {
            throw new IOException("Silver Parquet encoding failed: " + io.getMessage(), io);
        }
        if (t instanceof RuntimeException || t instanceof Error) {
            throw new IOException("Silver Parquet encoding failed: " + t, t);
        }
    }

    /** A column-wise batch of valid rows. */
    private static final class Batch {
        final String[] transactionIds;
        final String[] customerIds;
        final long[] amounts;
        final String[] currencies;
        final long[] timestamps;
        final long[] lines;
        final String[] types;
        int size;

        Batch(int capacity) {
            transactionIds = new String[capacity];
            customerIds = new String[capacity];
            amounts = new long[capacity];
            currencies = new String[capacity];
            timestamps = new long[capacity];
            lines = new long[capacity];
            types = new String[capacity];
        }

        void add(String transactionId, String customerId, long amount, String currency, long timestamp, long line, String type) {
            types[size] = type;
            transactionIds[size] = transactionId;
            customerIds[size] = customerId;
            amounts[size] = amount;
            currencies[size] = currency;
            timestamps[size] = timestamp;
            lines[size] = line;
            size++;
        }
    }
}
