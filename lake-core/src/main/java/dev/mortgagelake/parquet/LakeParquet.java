package dev.mortgagelake.parquet;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.OutputFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * Opens the lake's Parquet writers and readers (through parquet-avro, or for writers any
 * {@link WriteSupport}) without Hadoop on the classpath:
 * {@link PlainParquetConfiguration} instead of a Hadoop {@code Configuration}, an {@link OutputFile} /
 * {@link InputFile} instead of a Hadoop path, and {@link SnappyCodecFactory} instead of Hadoop codecs.
 * lake-core's tests run with Hadoop excluded from the classpath, so any Hadoop class load fails them.
 *
 * <p>Every writer: SNAPPY pages, Parquet v1 data pages (readable by every engine, Athena included),
 * dictionaries except on the columns named, create-only. Avro writers: standard three-level lists,
 * generic records written without logical-type conversions (so a {@code timestamp-micros} field
 * takes a {@code long} and a {@code decimal} on {@code fixed} takes a {@link GenericData.Fixed} of
 * the two's-complement unscaled value). The output is deterministic: the same records give the
 * same bytes.
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
                .withSchema(schema)
                .withDataModel(new GenericData());
        return configure(builder, conf, settings, columnsWithoutDictionary, metadata).build();
    }

    /**
     * A new writer to {@code file} whose records {@code writeSupport} turns into Parquet values, with
     * the same file settings as {@link #openWriter(OutputFile, Schema, ParquetWriterSettings, Collection, Map)}
     * (codec, pages, dictionaries, write mode). The file's schema and any footer metadata of the
     * write support's own are the write support's; {@code metadata} is added to them.
     *
     * @param writeSupport             a fresh instance, used by this writer only (parquet binds it to
     *                                 the writer's record consumer); its Hadoop {@code init} is never called
     * @param columnsWithoutDictionary top-level columns written without dictionary encoding
     * @param metadata                 extra key-value metadata for the file footer
     */
    public static <T> ParquetWriter<T> openWriter(OutputFile file, WriteSupport<T> writeSupport, ParquetWriterSettings settings,
                                                  Collection<String> columnsWithoutDictionary,
                                                  Map<String, String> metadata) throws IOException {
        return configure(new SuppliedWriteSupportBuilder<>(file, writeSupport), new PlainParquetConfiguration(), settings,
                columnsWithoutDictionary, metadata).build();
    }

    /** The settings every lake writer shares, whatever writes its records. */
    private static <T, B extends ParquetWriter.Builder<T, B>> B configure(B builder, PlainParquetConfiguration conf,
                                                                         ParquetWriterSettings settings,
                                                                         Collection<String> columnsWithoutDictionary,
                                                                         Map<String, String> metadata) {
        B configured = builder
                .withConf(conf)
                .withCodecFactory(SnappyCodecFactory.instance())
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withWriteMode(ParquetFileWriter.Mode.CREATE)
                .withRowGroupSize(settings.rowGroupSizeBytes())
                .withPageSize(settings.pageSizeBytes())
                .withDictionaryEncoding(true)
                .withExtraMetaData(metadata);
        for (String column : columnsWithoutDictionary) {
            configured = configured.withDictionaryEncoding(column, false);
        }
        return configured;
    }

    /**
     * A reader of the Parquet file at {@code file} (a local file, e.g. downloaded from the store), as
     * Avro generic records WITHOUT logical-type conversions: a {@code decimal} on {@code fixed} comes
     * back as a {@link GenericData.Fixed} of the unscaled two's-complement value and a
     * {@code timestamp-micros} as a {@code long}, exactly as the lake's writers take them.
     *
     * @param projection the columns to read (an Avro record schema whose fields are a subset of the
     *                   file's, by name; a nullable field the file lacks, a column of a later contract
     *                   minor, is left out of the records); null reads every column
     */
    public static ParquetRecords openReader(Path file, Schema projection) throws IOException {
        return openReader(new LocalInputFile(file), projection);
    }

    /** As {@link #openReader(Path, Schema)}, for any {@link InputFile}. */
    public static ParquetRecords openReader(InputFile file, Schema projection) throws IOException {
        return new ParquetRecords(file, projection);
    }

    /**
     * A builder for a given write support. Both {@code getWriteSupport} overloads must be overridden;
     * only the {@link ParquetConfiguration} one is called (the builder is given a
     * {@link PlainParquetConfiguration}), so no Hadoop class is loaded.
     */
    private static final class SuppliedWriteSupportBuilder<T> extends ParquetWriter.Builder<T, SuppliedWriteSupportBuilder<T>> {
        private final WriteSupport<T> writeSupport;

        SuppliedWriteSupportBuilder(OutputFile file, WriteSupport<T> writeSupport) {
            super(file);
            this.writeSupport = Objects.requireNonNull(writeSupport, "writeSupport");
        }

        @Override
        protected SuppliedWriteSupportBuilder<T> self() {
            return this;
        }

        @Override
        protected WriteSupport<T> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return writeSupport;
        }

        @Override
        protected WriteSupport<T> getWriteSupport(ParquetConfiguration conf) {
            return writeSupport;
        }
    }
}
