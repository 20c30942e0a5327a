package dev.mortgagelake.gold.parquet;

import dev.mortgagelake.gold.SilverTransaction;
import dev.mortgagelake.parquet.StoredParquetReader;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.validation.silver.SilverSchemaV1;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads the Silver v1 files of a table snapshot as {@link SilverTransaction}s, reading only the four
 * columns Gold needs ({@code customer_id, transaction_amount, currency, transaction_timestamp});
 * contract v1 has no transaction type, so every row is {@link SilverTransaction#UNKNOWN_TYPE}.
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

    /** Reads every row of {@code files} (the files of one Silver partition); returns the row count. */
    public long read(List<DataFile> files, Consumer<SilverTransaction> action) {
        long rows = 0;
        for (DataFile file : files) {
            long read = reader.read(new Location(silverBucket, file.key()), file.sizeBytes(), PROJECTION, record -> action.accept(toTransaction(record)));
            if (read != file.rows()) {
                throw new StorageException("Silver file " + file.key() + " has " + read
                        + " rows, the table recorded " + file.rows(), false);
            }
            rows += read;
        }
        return rows;
    }

    private static SilverTransaction toTransaction(GenericRecord record) {
        return SilverTransaction.v1(record.get(SilverSchemaV1.CUSTOMER_ID).toString(), record.get(SilverSchemaV1.CURRENCY).toString(),
                Decimal18.decode(record.get(SilverSchemaV1.TRANSACTION_AMOUNT)), (Long) record.get(SilverSchemaV1.TRANSACTION_TIMESTAMP));
    }

    private static Schema projection() {
        List<String> names = List.of(SilverSchemaV1.CUSTOMER_ID, SilverSchemaV1.TRANSACTION_AMOUNT, SilverSchemaV1.CURRENCY,
                SilverSchemaV1.TRANSACTION_TIMESTAMP);
        Schema full = SilverSchemaV1.SCHEMA;
        List<Schema.Field> fields = names.stream().map(name -> new Schema.Field(full.getField(name), full.getField(name).schema())).toList();
        return Schema.createRecord(full.getName(), full.getDoc(), full.getNamespace(), false, fields);
    }
}
