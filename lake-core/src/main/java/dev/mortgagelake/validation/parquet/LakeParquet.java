package dev.mortgagelake.validation.parquet;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;

/**
 * Opens the lake's Parquet writers through parquet-avro without Hadoop on the classpath:
 * {@link PlainParquetConfiguration} instead of a Hadoop {@code Configuration}, an {@link OutputFile}
 * instead of a Hadoop path, and {@link SnappyCodecFactory} instead of Hadoop codecs.
 *
 * <p>Every writer: SNAPPY pages, Parquet v1 data pages (readable by every engine, Athena included),
 * standard three-level lists, Avro generic records written without logical-type conversions (so a
 * {@code timestamp-micros} field takes a {@code long} and a {@code decimal} on {@code fixed} takes a
 * {@link GenericData.Fixed} of the two's-complement unscaled value). The output is deterministic:
 * the same records give the same bytes.
 */
public final class LakeParquet {

    /** Media type of Parquet objects in the store. */
    public static final String CONTENT_TYPE = "application/vnd.apache.parquet";

    private LakeParquet() {
    }

    /**
     * A new writer of {@code schema} records to {@code file}.
     *
     * @param columnsWithoutDictionary top-level columns written without dictionary encoding
     *                                 (high-cardinality columns such as identifiers)
     * @param metadata                 extra key-value metadata for the file footer
     */
    public static ParquetWriter<GenericRecord> openWriter(OutputFile file, Schema schema, ParquetWriterSettings settings,
                                                          Collection<String> columnsWithoutDictionary,
                                                          Map<String, String> metadata) throws IOException {
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        conf.set("parquet.avro.write-old-list-structure", "false");
        AvroParquetWriter.Builder<GenericRecord> builder = AvroParquetWriter.<GenericRecord>builder(file)
                .withConf(conf)
                .withSchema(schema)
                .withDataModel(new GenericData())
                .withCodecFactory(SnappyCodecFactory.instance())
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withWriteMode(ParquetFileWriter.Mode.CREATE)
                .withRowGroupSize(settings.rowGroupSizeBytes())
                .withPageSize(settings.pageSizeBytes())
                .withDictionaryEncoding(true)
                .withExtraMetaData(metadata);
        for (String column : columnsWithoutDictionary) {
            builder = builder.withDictionaryEncoding(column, false);
        }
        return builder.build();
    }
}
