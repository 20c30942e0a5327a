package dev.mortgagelake.gold.parquet;

import dev.mortgagelake.gold.SilverTransaction;
import dev.mortgagelake.parquet.StoredParquetReader;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ParallelRequests;
import java.nio.file.Path;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.validation.silver.SilverSchemaV1;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads the Silver v1 files of a table snapshot as {@link SilverTransaction}s, reading only the five
 * columns Gold needs ({@code customer_id, transaction_amount, currency, transaction_timestamp,
 * transaction_type}). Files written with contract v1.0 have no {@code transaction_type}: the projection's
 * nullable column reads as null there, and such rows are {@link SilverTransaction#UNKNOWN_TYPE}.
 */
public final class SilverTransactionReader {

    /** The projection of {@link SilverSchemaV1#SCHEMA} that Gold reads. */
    static final Schema PROJECTION = projection();

    private final StoredParquetReader reader;
    private final String silverBucket;

    public SilverTransactionReader(StoredParquetReader reader, String silverBucket) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.silverBucket = Objects.requireNonNull(silverBucket, "silverBucket");
    }

    /** Files downloaded concurrently ahead of reading (temporary copies on local disk, not heap). */
    static final int DOWNLOAD_BATCH = 16;

    /**
     * Reads every row of {@code files} (the files of one Silver partition), in order; returns the row
     * count. A month of many small runs is many objects: they are downloaded {@value #DOWNLOAD_BATCH}
     * at a time concurrently, then read one after the other, so the rows arrive as before.
     */
    public long read(List<DataFile> files, Consumer<SilverTransaction> action) {
        long rows = 0;
        for (int from = 0; from < files.size(); from += DOWNLOAD_BATCH) {
            List<DataFile> batch = files.subList(from, Math.min(files.size(), from + DOWNLOAD_BATCH));
            List<Path> local = downloadAll(batch);
            try {
                for (int i = 0; i < batch.size(); i++) {
                    DataFile file = batch.get(i);
                    Location location = new Location(silverBucket, file.key());
                    Path copy = local.set(i, null);
                    long read = reader.readDownloaded(location, copy, PROJECTION, record -> action.accept(toTransaction(record)));
                    if (read != file.rows()) {
                        throw new StorageException("Silver file " + file.key() + " has " + read
                                + " rows, the table recorded " + file.rows(), false);
                    }
                    rows += read;
                }
            } finally {
                local.forEach(StoredParquetReader::delete);
            }
        }
        return rows;
    }

    private List<Path> downloadAll(List<DataFile> batch) {
        List<Object> outcomes = ParallelRequests.map(batch, file -> {
            try {
                return reader.download(new Location(silverBucket, file.key()), file.sizeBytes());
            } catch (RuntimeException e) {
                return e;
            }
        });
        List<Path> local = new java.util.ArrayList<>();
        RuntimeException failure = null;
        for (Object outcome : outcomes) {
            if (outcome instanceof Path path) {
                local.add(path);
            } else {
                local.add(null);
                failure = failure == null ? (RuntimeException) outcome : failure;
            }
        }
        if (failure != null) {
            local.forEach(StoredParquetReader::delete);
            throw failure;
        }
        return local;
    }

    private static SilverTransaction toTransaction(GenericRecord record) {
        // a file of contract v1.0 has no transaction_type column: its records lack the field
        Object type = record.getSchema().getField(SilverSchemaV1.TRANSACTION_TYPE) == null ? null
                : record.get(SilverSchemaV1.TRANSACTION_TYPE);
        return new SilverTransaction(record.get(SilverSchemaV1.CUSTOMER_ID).toString(), record.get(SilverSchemaV1.CURRENCY).toString(),
                Decimal18.decode(record.get(SilverSchemaV1.TRANSACTION_AMOUNT)), (Long) record.get(SilverSchemaV1.TRANSACTION_TIMESTAMP),
                type == null ? SilverTransaction.UNKNOWN_TYPE : type.toString());
    }

    private static Schema projection() {
        List<String> names = List.of(SilverSchemaV1.CUSTOMER_ID, SilverSchemaV1.TRANSACTION_AMOUNT, SilverSchemaV1.CURRENCY,
                SilverSchemaV1.TRANSACTION_TIMESTAMP, SilverSchemaV1.TRANSACTION_TYPE);
        Schema full = SilverSchemaV1.SCHEMA;
        List<Schema.Field> fields = names.stream().map(name -> new Schema.Field(full.getField(name), full.getField(name).schema())).toList();
        return Schema.createRecord(full.getName(), full.getDoc(), full.getNamespace(), false, fields);
    }
}
