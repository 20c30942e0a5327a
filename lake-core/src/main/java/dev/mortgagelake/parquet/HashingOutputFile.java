package dev.mortgagelake.parquet;

import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Parquet {@link OutputFile} on a local file that computes the SHA-256 and size of the bytes as
 * they are written, so a manifest can describe the file without reading it again. Once the writer
 * is closed, {@link #sha256()} and {@link #sizeBytes()} describe exactly the bytes on disk.
 * Single use: one {@code create} per instance.
 */
public final class HashingOutputFile implements OutputFile {

    private static final int BUFFER_BYTES = 64 * 1024;

    private final Path path;
    private final MessageDigest digest;
    private long size;
    private boolean created;
    private boolean closed;
    private String sha256;

    public HashingOutputFile(Path path) {
        this.path = path;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) throws IOException {
        return open(StandardOpenOption.CREATE_NEW);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
        return open(StandardOpenOption.CREATE);
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return 0;
    }

    @Override
    public String getPath() {
        return path.toString();
    }

    /** Lower-case hex SHA-256 of the file; only once the writer has closed the stream. */
    public String sha256() {
        requireClosed();
        return sha256;
    }

    /** Bytes written; only once the writer has closed the stream. */
    public long sizeBytes() {
        requireClosed();
        return size;
    }

    private void requireClosed() {
        if (!closed) {
            throw new IllegalStateException("The Parquet file " + path + " is still being written");
        }
    }

    private PositionOutputStream open(StandardOpenOption mode) throws IOException {
        if (created) {
            throw new IllegalStateException("HashingOutputFile is single use: " + path);
        }
        created = true;
        OutputStream file = new BufferedOutputStream(Files.newOutputStream(path, mode, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), BUFFER_BYTES);
        return new PositionOutputStream() {
            @Override
            public long getPos() {
                return size;
            }

            @Override
            public void write(int b) throws IOException {
                file.write(b);
                digest.update((byte) b);
                size++;
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                file.write(bytes, offset, length);
                digest.update(bytes, offset, length);
                size += length;
            }

            @Override
            public void flush() throws IOException {
                file.flush();
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    file.close();
                    sha256 = HexFormat.of().formatHex(digest.digest());
                    closed = true;
                }
            }
        };
    }
}
