package dev.mortgagelake.parquet;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;

import java.io.Closeable;
import java.io.IOException;
import java.util.Map;

/**
 * The records of one Parquet file, row group by row group, as Avro generic records.
 *
 * <p>Built on {@link ParquetFileReader} and {@link AvroReadSupport} directly rather than on
 * {@code ParquetReader}/{@code AvroParquetReader}: the builder of the latter cannot even be loaded
 * without Hadoop on the classpath (its bytecode references {@code org.apache.hadoop.fs.PathFilter}),
 * and neither can the public builders of {@link ParquetReadOptions} ({@link HadoopFreeReadOptions}
 * explains), while this path uses only the Hadoop-free {@link PlainParquetConfiguration} overloads. Memory is
 * one row group. Not thread-safe.
 */
public final class ParquetRecords implements Closeable {

    private final ParquetFileReader file;
    private final MessageColumnIO columns;
    private final RecordMaterializer<GenericRecord> materializer;
    private RecordReader<GenericRecord> rowGroup;
    private long remainingInRowGroup;

    ParquetRecords(InputFile input, Schema projection) throws IOException {
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        ParquetReadOptions options = HadoopFreeReadOptions.of(conf);
        this.file = ParquetFileReader.open(input, options);
        try {
            MessageType fileSchema = file.getFooter().getFileMetaData().getSchema();
            if (projection != null) {
                conf.set(AvroReadSupport.AVRO_REQUESTED_PROJECTION, presentIn(projection, fileSchema).toString());
            }
            Map<String, String> metadata = file.getFooter().getFileMetaData().getKeyValueMetaData();
            AvroReadSupport<GenericRecord> support = new AvroReadSupport<>(new GenericData());
            ReadSupport.ReadContext context = support.init(conf, metadata, fileSchema);
            MessageType requested = context.getRequestedSchema();
            file.setRequestedSchema(requested);
            this.materializer = support.prepareForRead(conf, metadata, fileSchema, context);
            this.columns = new ColumnIOFactory().getColumnIO(requested, fileSchema, true);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * {@code projection} without the nullable fields the file does not have (a file written with an
     * earlier minor of its contract, e.g. Silver v1.0 without {@code transaction_type}): the records of
     * such a file simply lack them, and readers take a missing field as null.
     *
     * @throws IllegalArgumentException if a required field of the projection is not in the file
     */
    static Schema presentIn(Schema projection, MessageType fileSchema) {
        java.util.List<Schema.Field> present = new java.util.ArrayList<>();
        for (Schema.Field field : projection.getFields()) {
            if (fileSchema.containsField(field.name())) {
                present.add(new Schema.Field(field, field.schema()));
            } else if (!field.schema().isNullable()) {
                throw new IllegalArgumentException("The file has no column " + field.name() + ", which the projection requires");
            }
        }
        if (present.size() == projection.getFields().size()) {
            return projection;
        }
        return Schema.createRecord(projection.getName(), projection.getDoc(), projection.getNamespace(), false, present);
    }

    /** The Parquet schema of the file (all its columns, whatever the projection). */
    public MessageType fileSchema() {
        return file.getFooter().getFileMetaData().getSchema();
    }

    /** The key-value metadata of the file's footer. */
    public Map<String, String> keyValueMetadata() {
        return Map.copyOf(file.getFooter().getFileMetaData().getKeyValueMetaData());
    }

    /** The next record, or null after the last one. */
    public GenericRecord read() throws IOException {
        while (remainingInRowGroup == 0) {
            PageReadStore pages = file.readNextRowGroup();
            if (pages == null) {
                return null;
            }
            rowGroup = columns.getRecordReader(pages, materializer);
            remainingInRowGroup = pages.getRowCount();
        }
        remainingInRowGroup--;
        return rowGroup.read();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
