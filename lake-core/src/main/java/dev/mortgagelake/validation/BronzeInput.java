package dev.mortgagelake.validation;

import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * The decoded character stream of a Bronze object, with the faults of each layer kept apart:
 *
 * <ol>
 *   <li>store stream: an {@link IOException} becomes a retryable {@link StorageException}
 *       (infrastructure, never a data fault);</li>
 *   <li>SHA-256 and byte count of the raw bytes;</li>
 *   <li>gzip, detected by the magic bytes {@code 1F 8B} (never by name): an {@link IOException} of the
 *       decompressor becomes a {@link GzipFormatException};</li>
 *   <li>decompression limits: more inflated bytes than allowed, or a ratio of inflated to compressed
 *       bytes above the limit, raise a {@link DecompressionLimitException} (a bomb is stopped at the
 *       limit, never inflated in full);</li>
 *   <li>an optional UTF-8 byte order mark is skipped; UTF-16/32 marks are an encoding fault;</li>
 *   <li>strict UTF-8 decoding: malformed input raises a {@link java.nio.charset.CharacterCodingException}.</li>
 * </ol>
 * Layers 1-6 run on a read-ahead thread ({@link ReadAheadReader}), so the caller's thread only parses;
 * each fault still reaches the caller's {@link #reader()} as the same exception, after the characters
 * before it.
 */
final class BronzeInput implements Closeable {

    private static final int BUFFER_BYTES = 64 * 1024;

    private final Location location;
    private final DigestingStream raw;
    private final boolean gzip;
    private final Reader reader;

    private BronzeInput(Location location, DigestingStream raw, boolean gzip, Reader reader) {
        this.location = location;
        this.raw = raw;
        this.gzip = gzip;
        this.reader = reader;
    }

    /**
     * Opens {@code location}.
     *
     * @throws GzipFormatException      if the gzip header is unreadable
     * @throws Utf16MarkException       if the content starts with a UTF-16 or UTF-32 byte order mark
     * @throws DecompressionLimitException if the first inflated block already exceeds a decompression limit
     * @throws StorageException         if the store fails
     */
    static BronzeInput open(ObjectStore store, Location location, long maxDecompressedBytes, int maxCompressionRatio)
            throws GzipFormatException, Utf16MarkException, DecompressionLimitException {
        InputStream storeStream = store.open(location);
        DigestingStream raw = new DigestingStream(new StoreGuard(storeStream, location));
        try {
            BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER_BYTES);
            boolean gzip = startsWith(buffered, 0x1F, 0x8B);
            InputStream decoded = buffered;
            if (gzip) {
                try {
                    decoded = new GzipGuard(new GZIPInputStream(buffered, BUFFER_BYTES));
                } catch (IOException e) {
                    throw new GzipFormatException("gzip header is unreadable: " + e.getMessage(), e);
                }
                decoded = new BufferedInputStream(new InflationLimit(decoded, raw, maxDecompressedBytes, maxCompressionRatio),
                        BUFFER_BYTES);
            }
            skipUtf8Bom(decoded);
            Reader reader = new ReadAheadReader(decoded, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT), "bronze-read-ahead " + location.key());
            return new BronzeInput(location, raw, gzip, reader);
        } catch (GzipFormatException | Utf16MarkException | DecompressionLimitException | RuntimeException e) {
            closeQuietly(raw, e);
            throw e;
        }
    }

    Reader reader() {
        return reader;
    }

    boolean gzip() {
        return gzip;
    }

    /**
     * Reads the raw object to its end (so the digest covers every byte) and returns its SHA-256. Call it
     * only once {@link #reader()} returned the end: the read-ahead thread has stopped reading then.
     */
    String drainAndHash() {
        byte[] sink = new byte[BUFFER_BYTES];
        try {
            while (raw.read(sink, 0, sink.length) >= 0) {
                // Only the digest matters.
            }
        } catch (IOException e) {
            throw new StorageException("Cannot read " + location + ": " + e.getMessage(), true, e);
        }
        return raw.sha256();
    }

    /** Raw bytes read so far. */
    long rawBytes() {
        return raw.count;
    }

    @Override
    public void close() {
        try (raw) {
            reader.close();
        } catch (IOException e) {
            throw new StorageException("Cannot close " + location + ": " + e.getMessage(), true, e);
        }
    }

    private static boolean startsWith(BufferedInputStream in, int b0, int b1) {
        in.mark(2);
        try {
            int first = in.read();
            int second = first < 0 ? -1 : in.read();
            return first == b0 && second == b1;
        } catch (IOException e) {
            throw new IllegalStateException("The raw layer reports store failures as StorageException", e);
        } finally {
            resetQuietly(in);
        }
    }

    private static void skipUtf8Bom(InputStream decoded)
            throws GzipFormatException, Utf16MarkException, DecompressionLimitException {
        int b0;
        int b1;
        try {
            decoded.mark(4);
            b0 = decoded.read();
            b1 = b0 < 0 ? -1 : decoded.read();
            int b2 = b1 < 0 ? -1 : decoded.read();
            if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) {
                return;
            }
            decoded.reset();
        } catch (GzipFormatException | DecompressionLimitException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("Lower layers report their failures as typed exceptions", e);
        }
        if ((b0 == 0xFE && b1 == 0xFF) || (b0 == 0xFF && b1 == 0xFE)) {
            throw new Utf16MarkException(String.format("the content starts with a UTF-16/UTF-32 byte order mark (0x%02X%02X)", b0, b1));
        }
    }

    private static void resetQuietly(BufferedInputStream in) {
        try {
            in.reset();
        } catch (IOException e) {
            throw new IllegalStateException("mark/reset of a BufferedInputStream within its mark limit cannot fail", e);
        }
    }

    private static void closeQuietly(Closeable closeable, Throwable primary) {
        try {
            closeable.close();
        } catch (IOException | RuntimeException e) {
            primary.addSuppressed(e);
        }
    }

    /** The content is gzip but cannot be decompressed. */
    static final class GzipFormatException extends IOException {
        GzipFormatException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The gzip content inflates beyond the size or ratio limit. */
    static final class DecompressionLimitException extends IOException {
        DecompressionLimitException(String message) {
            super(message);
        }
    }

    /** Counts inflated bytes and stops at the size and ratio limits. */
    private static final class InflationLimit extends FilterInputStream {
        private final DigestingStream compressed;
        private final long maxBytes;
        private final int maxRatio;
        private long inflated;

        InflationLimit(InputStream in, DigestingStream compressed, long maxBytes, int maxRatio) {
            super(in);
            this.compressed = compressed;
            this.maxBytes = maxBytes;
            this.maxRatio = maxRatio;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.min(n, 8192)];
            int read = read(buffer, 0, buffer.length);
            return Math.max(read, 0);
        }

        private void counted(int n) throws DecompressionLimitException {
            inflated += n;
            if (inflated > maxBytes) {
                throw new DecompressionLimitException("the gzip content inflates to more than " + maxBytes
                        + " bytes (lake.validation.max-decompressed-bytes); stopped after " + compressed.count + " compressed bytes");
            }
            if (inflated > ValidationConfig.RATIO_CHECK_AFTER_BYTES && inflated / Math.max(1, compressed.count) > maxRatio) {
                throw new DecompressionLimitException("the gzip content inflates " + inflated / Math.max(1, compressed.count)
                        + " times (" + compressed.count + " compressed bytes to " + inflated + "); the limit is " + maxRatio
                        + " (lake.validation.max-compression-ratio): a decompression bomb is not read further");
            }
        }
    }

    /** The content carries a UTF-16/UTF-32 byte order mark. */
    static final class Utf16MarkException extends IOException {
        Utf16MarkException(String message) {
            super(message);
        }
    }

    /** Turns the store stream's I/O failures into {@link StorageException}s. */
    private static final class StoreGuard extends FilterInputStream {
        private final Location location;

        StoreGuard(InputStream in, Location location) {
            super(in);
            this.location = location;
        }

        @Override
        public int read() {
            try {
                return in.read();
            } catch (IOException e) {
                throw failure(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw failure(e);
            }
        }

        @Override
        public long skip(long n) {
            try {
                return in.skip(n);
            } catch (IOException e) {
                throw failure(e);
            }
        }

        @Override
        public int available() {
            try {
                return in.available();
            } catch (IOException e) {
                throw failure(e);
            }
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                throw failure(e);
            }
        }

        private StorageException failure(IOException e) {
            return new StorageException("Cannot read " + location + ": " + e.getMessage(), true, e);
        }
    }

    /** Marks every I/O failure of the decompressor as a gzip format fault. */
    private static final class GzipGuard extends FilterInputStream {
        GzipGuard(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws GzipFormatException {
            try {
                return in.read();
            } catch (IOException e) {
                throw new GzipFormatException(e.getMessage(), e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws GzipFormatException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw new GzipFormatException(e.getMessage(), e);
            }
        }

        @Override
        public long skip(long n) throws GzipFormatException {
            try {
                return in.skip(n);
            } catch (IOException e) {
                throw new GzipFormatException(e.getMessage(), e);
            }
        }
    }

    /** Counts and hashes every byte read (skips are reads, so the digest never misses bytes). */
    private static final class DigestingStream extends FilterInputStream {
        private final MessageDigest digest;
        private long count;

        DigestingStream(InputStream in) {
            super(in);
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every JVM", e);
            }
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                digest.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                digest.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.min(n, 8192)];
            int read = read(buffer, 0, buffer.length);
            return Math.max(read, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        String sha256() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }
}
