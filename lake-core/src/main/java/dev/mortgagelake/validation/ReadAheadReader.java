package dev.mortgagelake.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.nio.charset.CharsetDecoder;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A {@link Reader} whose characters are decoded ahead on a thread of their own: the read-ahead thread
 * pulls the byte stream (store download, gzip inflation, limits) and decodes it, so the caller's thread
 * only parses. At most {@value #QUEUE_CHUNKS} chunks of {@value #CHUNK_CHARS} characters wait between
 * the two, so memory is bounded whatever the input's size.
 *
 * <p>The reader sees exactly what a plain {@code InputStreamReader} over the same stream would: the
 * same characters, then the same exception object at the same position (a failure is queued after the
 * characters decoded before it). {@link #close} stops the read-ahead thread and waits for it, so the
 * byte stream is no longer read once {@code close} returns (the caller may then read or close it).
 * A reader that reached the end (or a failure) has a stopped read-ahead thread too. Not thread-safe:
 * one reading thread.
 */
final class ReadAheadReader extends Reader {

    static final int CHUNK_CHARS = 32 * 1024;
    static final int QUEUE_CHUNKS = 4;

    /** A chunk of characters, or the end ({@code length < 0}), or a failure. */
    private record Chunk(char[] chars, int length, Throwable failure) {
    }

    private static final Chunk END = new Chunk(new char[0], -1, null);

    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
    private final Thread thread;
    private volatile boolean closed;
    private Chunk current;
    private int position;
    private boolean finished;

    ReadAheadReader(InputStream bytes, CharsetDecoder decoder, String threadName) {
        Reader decoding = new InputStreamReader(bytes, decoder);
        thread = new Thread(() -> readAhead(decoding), threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private void readAhead(Reader decoding) {
        try {
            while (!closed) {
                char[] chars = new char[CHUNK_CHARS];
                int length = decoding.read(chars, 0, chars.length);
                if (length < 0) {
                    queue.put(END);
                    return;
                }
                if (length > 0) {
                    queue.put(new Chunk(chars, length, null));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException | Error e) {
            try {
                queue.put(new Chunk(null, 0, e));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public int read(char[] target, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("The reader is closed");
        }
        if (length == 0) {
            return 0;
        }
        if (current == null || position == current.length()) {
            if (finished) {
                return -1;
            }
            current = take();
            position = 0;
            if (current.failure() != null) {
                finished = true;
                Throwable failure = current.failure();
                current = null;
                if (failure instanceof IOException io) {
                    throw io;
                }
                if (failure instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw (Error) failure;
            }
            if (current.length() < 0) {
                finished = true;
                current = null;
                join();
                return -1;
            }
        }
        int n = Math.min(length, current.length() - position);
        System.arraycopy(current.chars(), position, target, offset, n);
        position += n;
        return n;
    }

    private Chunk take() throws InterruptedIOException {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for decoded characters");
        }
    }

    /** Stops the read-ahead thread and waits for it; the byte stream is left open. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        thread.interrupt();
        queue.clear();
        join();
    }

    private void join() throws InterruptedIOException {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while stopping the read-ahead thread");
        }
    }
}
