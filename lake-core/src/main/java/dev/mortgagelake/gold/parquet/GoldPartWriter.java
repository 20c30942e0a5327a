package dev.mortgagelake.gold.parquet;

import dev.mortgagelake.gold.GoldDataset;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.parquet.HashingOutputFile;
import dev.mortgagelake.parquet.LakeParquet;
import dev.mortgagelake.parquet.ParquetWriterSettings;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Writes one Gold part file ({@code part-00000.parquet} of one dataset, run and month): the records
 * go to a local staging file that hashes what it writes, then the file is uploaded create-once to
 * {@link LakeLayout#goldPart} and the staging copy deleted. The returned {@link DataFile} describes
 * exactly the uploaded bytes. Thread-safe if the store is.
 */
public final class GoldPartWriter {

    private final ObjectStore store;
    private final LakeLayout layout;
    private final Path workDir;
    private final ParquetWriterSettings settings;

    /** @param workDir an existing directory for staging files */
    public GoldPartWriter(ObjectStore store, LakeLayout layout, Path workDir, ParquetWriterSettings settings) {
        this.store = Objects.requireNonNull(store, "store");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The Avro schema of a dataset's files. */
    public static Schema schemaOf(GoldDataset dataset) {
        return switch (dataset) {
            case ACCOUNT_BALANCES -> AccountBalancesSchemaV1.SCHEMA;
            case MONTHLY_REPORTS -> MonthlyReportsSchemaV1.SCHEMA;
            case TRANSACTION_SUMMARIES -> TransactionSummariesSchemaV1.SCHEMA;
        };
    }

    /**
     * Writes {@code records} (of {@link #schemaOf}{@code (dataset)}) as the month's part file of the run.
     *
     * @param metadata extra footer metadata (e.g. the Silver version it was computed from)
     * @throws StorageException if staging or the upload fails (an existing key is never overwritten)
     */
    public DataFile write(GoldDataset dataset, RunId runId, YearMonth month, List<GenericRecord> records,
                          Map<String, String> metadata) {
        Location target = layout.goldPart(dataset.tableName(), GoldDataset.SCHEMA_VERSION, runId, month, 0);
        Map<String, String> footer = new TreeMap<>(metadata);
        footer.put("mortgagelake.table", "gold/finance/" + dataset.tableName());
        footer.put("mortgagelake.schema_version", GoldDataset.SCHEMA_VERSION);
        footer.put("mortgagelake.run_id", runId.value());
        footer.put("mortgagelake.as_of_month", month.toString());
        Path staging = null;
        try {
            staging = Files.createTempFile(workDir, dataset.tableName() + "-", ".parquet");
            Files.delete(staging);
            HashingOutputFile file = new HashingOutputFile(staging);
            try (ParquetWriter<GenericRecord> writer = LakeParquet.openWriter(file, schemaOf(dataset), settings, List.of(), footer)) {
                for (GenericRecord record : records) {
                    writer.write(record);
                }
            }
            store.create(target, staging, LakeParquet.CONTENT_TYPE);
            return new DataFile(target.key(), runId.value(), records.size(), file.sizeBytes(), file.sha256());
        } catch (IOException e) {
            throw new StorageException("Cannot stage Gold file " + target + ": " + e.getMessage(), false, e);
        } finally {
            if (staging != null) {
                try {
                    Files.deleteIfExists(staging);
                } catch (IOException e) {
                    staging.toFile().deleteOnExit();
                }
            }
        }
    }
}
