package dev.mortgagelake.parquet;

import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads Parquet objects of the store record by record: each object is downloaded to a temporary
 * file in a work directory (Parquet needs random access to its footer), read through
 * {@link LakeParquet#openReader} (no Hadoop) and deleted. Memory is one row group, whatever the
 * object's size. Thread-safe if the store is.
 */
public final class StoredParquetReader {

    private final ObjectStore store;
    private final Path workDir;

    /** @param workDir an existing directory for the temporary copies */
    public StoredParquetReader(ObjectStore store, Path workDir) {
        this.store = Objects.requireNonNull(store, "store");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
    }

    /**
     * Reads every record of {@code file} (only the columns of {@code projection}, or all if null).
     * The record passed to {@code action} may be reused by the reader: copy what you keep.
     *
     * @param expectedSize the size the table recorded for the object, or -1 to skip the check
     * @return the number of records read
     * @throws StorageException (not retryable) if the object has another size or is not readable Parquet
     */
    public long read(Location file, long expectedSize, Schema projection, Consumer<GenericRecord> action) {
        Path local = download(file, expectedSize);
        try {
            return readDownloaded(file, local, projection, action);
        } finally {
            delete(local);
        }
    }

    /**
     * Downloads {@code file} to a temporary file of the work directory (deleted by
     * {@link #readDownloaded}); lets a caller download several objects concurrently and read them in turn.
     *
     * @throws StorageException (not retryable) if the object has another size than {@code expectedSize}
     */
    public Path download(Location file, long expectedSize) {
        Path local = null;
        try {
            local = Files.createTempFile(workDir, "read-", ".parquet");
            Files.delete(local);
            store.download(file, local);
            long size = Files.size(local);
            if (expectedSize >= 0 && size != expectedSize) {
                throw new StorageException("Parquet object " + file + " has " + size + " bytes, the table recorded "
                        + expectedSize, false);
            }
            return local;
        } catch (IOException e) {
            delete(local);
            throw new StorageException("Cannot read Parquet object " + file + ": " + e.getMessage(), false, e);
        } catch (RuntimeException e) {
            delete(local);
            throw e;
        }
    }

    /** Reads a copy made by {@link #download} and deletes it; as {@link #read}. */
    public long readDownloaded(Location file, Path local, Schema projection, Consumer<GenericRecord> action) {
        try (ParquetRecords reader = LakeParquet.openReader(local, projection)) {
            long records = 0;
            for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
                action.accept(record);
                records++;
            }
            return records;
        } catch (IOException e) {
            throw new StorageException("Cannot read Parquet object " + file + ": " + e.getMessage(), false, e);
        } finally {
            delete(local);
        }
    }

    /** Deletes a temporary copy (null: nothing to delete). */
    public static void delete(Path local) {
        if (local == null) {
            return;
        }
        try {
            Files.deleteIfExists(local);
        } catch (IOException e) {
            local.toFile().deleteOnExit();
        }
    }
}
