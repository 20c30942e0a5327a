package dev.mortgagelake.retry;

import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.validation.quarantine.QuarantineRows;
import dev.mortgagelake.validation.quarantine.QuarantinedRow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of a quarantine or condemned batch in the store, as a reviewer sees them: the original
 * values, every error, the attempt count and the history of earlier attempts ({@link QuarantinedRow}).
 * The file is copied to a local temporary file (Parquet needs its footer) and read one row group at a time.
 */
public final class QuarantinedRows {

    private final ObjectStore store;
    private final Path workDir;

    /** @param workDir an existing directory for the temporary copies */
    public QuarantinedRows(ObjectStore store, Path workDir) {
        this.store = store;
        this.workDir = workDir;
    }

    /** The batch's rows, in file order: at most {@code limit} after skipping {@code offset}. */
    public List<QuarantinedRow> read(Location file, long offset, int limit) {
        List<QuarantinedRow> rows = new ArrayList<>();
        Path local = null;
        try {
            local = Files.createTempFile(workDir, "batch-", ".parquet");
            Files.delete(local);
            store.download(file, local);
            long[] index = {0};
            QuarantineRows.read(local, row -> {
                if (index[0]++ >= offset && rows.size() < limit) {
                    rows.add(row);
                }
            });
            return rows;
        } catch (IOException | IllegalArgumentException e) {
            throw new StorageException("Cannot read the batch file " + file + ": " + e.getMessage(), false, e);
        } finally {
            if (local != null) {
                try {
                    Files.deleteIfExists(local);
                } catch (IOException e) {
                    local.toFile().deleteOnExit();
                }
            }
        }
    }
}
