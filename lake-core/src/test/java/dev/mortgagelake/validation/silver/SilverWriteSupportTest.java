package dev.mortgagelake.validation.silver;

import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.parquet.HashingOutputFile;
import dev.mortgagelake.parquet.LakeParquet;
import dev.mortgagelake.parquet.ParquetRecords;
import dev.mortgagelake.parquet.ParquetWriterSettings;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * Silver files written without Avro records are the files parquet-avro writes: same bytes, same
 * schema and footer, and every value reads back through the lake's parquet-avro reader.
 */
class SilverWriteSupportTest {

    private static final String RUN_ID = "run-2024-03-01T00-00-00Z-abc";
    private static final long MAX_DECIMAL_18_2 = 999_999_999_999_999_999L;
    /** Small row groups and pages, so that a few thousand rows span several of each. */
    private static final ParquetWriterSettings SMALL = new ParquetWriterSettings(64 * 1024, 4 * 1024);

    @TempDir
    Path dir;

    record Row(String transactionId, String customerId, long amountCents, String currency, long timestampMicros,
               long sourceLine) {
    }

    @Test
    void everyColumnReadsBackThroughParquetAvro() throws IOException {
        List<Row> rows = List.of(
                new Row("T-1", "C-1", 12_345, "USD", micros("2024-03-01T00:00:00Z"), 2),
                new Row("T-2", "C-2", -12_345, "EUR", micros("2024-03-31T23:59:59.999999Z"), 3),
                new Row("T-3", "C-3", 0, "GBP", micros("2024-03-15T12:30:00.000001Z"), 5),
                new Row("T-4", "C-4", -1, "USD", micros("2024-03-02T00:00:00Z"), 6),
                new Row("T-5", "C-5", MAX_DECIMAL_18_2, "USD", micros("2024-03-03T00:00:00Z"), 7),
                new Row("T-6", "C-6", -MAX_DECIMAL_18_2, "USD", micros("2024-03-04T00:00:00Z"), 8),
                new Row("T-7 ü", "Zoë 客户", 100, "JPY", micros("2024-03-05T00:00:00Z"), 9),
                new Row("T-8", "C-8", 1, "USD", micros("2024-04-01T00:00:00Z"), 10));

        List<StagedPart> parts;
        try (SilverStagingWriter writer = new SilverStagingWriter(dir, RUN_ID, ParquetWriterSettings.DEFAULT, 1_000)) {
            for (Row row : rows) {
                writer.write(row.transactionId(), row.customerId(), row.amountCents(), row.currency(), row.timestampMicros(),
                        row.sourceLine());
            }
            parts = writer.finish();
        }

        assertThat(parts).extracting(StagedPart::month, StagedPart::rows)
                .containsExactly(tuple(YearMonth.of(2024, 3), 7L),
                        tuple(YearMonth.of(2024, 4), 1L));
        List<GenericRecord> read = new ArrayList<>();
        for (StagedPart part : parts) {
            read.addAll(readAll(part.file()));
        }
        assertThat(read).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row expected = rows.get(i);
            GenericRecord actual = read.get(i);
            assertThat(actual.get(SilverSchemaV1.TRANSACTION_ID).toString()).isEqualTo(expected.transactionId());
            assertThat(actual.get(SilverSchemaV1.CUSTOMER_ID).toString()).isEqualTo(expected.customerId());
            byte[] amount = ((GenericFixed) actual.get(SilverSchemaV1.TRANSACTION_AMOUNT)).bytes();
            assertThat(amount).hasSize(8);
            assertThat(new BigDecimal(new BigInteger(amount), 2))
                    .isEqualTo(BigDecimal.valueOf(expected.amountCents(), 2));
            assertThat(actual.get(SilverSchemaV1.CURRENCY).toString()).isEqualTo(expected.currency());
            assertThat(actual.get(SilverSchemaV1.TRANSACTION_TIMESTAMP)).isEqualTo(expected.timestampMicros());
            assertThat(actual.get(SilverSchemaV1.RUN_ID).toString()).isEqualTo(RUN_ID);
            assertThat(actual.get(SilverSchemaV1.SOURCE_LINE)).isEqualTo(expected.sourceLine());
        }
        assertThat(new BigDecimal(new BigInteger(((GenericFixed) read.get(4).get(SilverSchemaV1.TRANSACTION_AMOUNT)).bytes()), 2))
                .isEqualTo(new BigDecimal("9999999999999999.99"));
    }

    @Test
    void schemaAndFooterAreWhatParquetAvroWrites() throws IOException {
        Path file = writeNew(dir.resolve("new.parquet"), rows(3, 1), SMALL);

        try (ParquetRecords records = LakeParquet.openReader(file, null)) {
            assertThat(records.fileSchema())
                    .isEqualTo(new AvroSchemaConverter(new PlainParquetConfiguration()).convert(SilverSchemaV1.SCHEMA))
                    .isEqualTo(SilverWriteSupport.PARQUET_SCHEMA);
            Map<String, String> footer = records.keyValueMetadata();
            assertThat(footer).containsOnly(
                    Map.entry("parquet.avro.schema", SilverSchemaV1.SCHEMA.toString()),
                    Map.entry("writer.model.name", "avro"),
                    Map.entry("mortgagelake.table", LakeLayout.DATASET_PATH),
                    Map.entry("mortgagelake.schema_version", SilverSchemaV1.SCHEMA_VERSION),
                    Map.entry("mortgagelake.run_id", RUN_ID));
        }
    }

    @Test
    void filesAreByteForByteWhatParquetAvroWrites() throws IOException {
        // Several row groups and pages, dictionary (currency) and plain columns, every amount sign,
        // non-ASCII and long strings.
        List<Row> rows = rows(20_000, 7);

        Path avro = writeAvro(dir.resolve("avro.parquet"), rows, SMALL);
        Path direct = writeNew(dir.resolve("direct.parquet"), rows, SMALL);

        assertThat(Files.size(direct)).isGreaterThan(4L * SMALL.rowGroupSizeBytes() / 2);
        assertThat(Files.mismatch(avro, direct)).isEqualTo(-1L);
    }

    @Test
    void aNullValueIsRefusedNamingItsColumn() throws IOException {
        HashingOutputFile file = new HashingOutputFile(dir.resolve("refused.parquet"));
        try (ParquetWriter<SilverWriteSupport.Row> writer = LakeParquet.openWriter(file, new SilverWriteSupport(RUN_ID), SMALL,
                SilverSchemaV1.NO_DICTIONARY, metadata())) {
            writer.write(new SilverWriteSupport.Row().set("T-1", "C-1", 1, "USD", 0, 2));
            assertThatThrownBy(() -> writer.write(new SilverWriteSupport.Row().set("T-2", "C-2", 2, null, 0, 3)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(SilverSchemaV1.CURRENCY);
        }
    }

    private static List<Row> rows(int count, long seed) {
        Random random = new Random(seed);
        String[] currencies = {"USD", "EUR", "GBP", "JPY"};
        long start = micros("2024-01-01T00:00:00Z");
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long amount = switch (i % 5) {
                case 0 -> MAX_DECIMAL_18_2;
                case 1 -> -MAX_DECIMAL_18_2;
                default -> random.nextLong() % 100_000_000L;
            };
            String transactionId = i % 101 == 0 ? "T-long-" + "x".repeat(60 + i % 200) : "T-" + random.nextLong();
            String customerId = i % 97 == 0 ? "Zoë-客户-" + random.nextInt(5_000) : "C-" + random.nextInt(5_000);
            rows.add(new Row(transactionId, customerId, amount, currencies[random.nextInt(4)],
                    start + random.nextLong(31L * 86_400_000_000L), i + 2L));
        }
        return rows;
    }

    private static Path writeNew(Path path, List<Row> rows, ParquetWriterSettings settings) throws IOException {
        SilverWriteSupport.Row reused = new SilverWriteSupport.Row();
        try (ParquetWriter<SilverWriteSupport.Row> writer = LakeParquet.openWriter(new HashingOutputFile(path),
                new SilverWriteSupport(RUN_ID), settings, SilverSchemaV1.NO_DICTIONARY, metadata())) {
            for (Row row : rows) {
                writer.write(reused.set(row.transactionId(), row.customerId(), row.amountCents(), row.currency(),
                        row.timestampMicros(), row.sourceLine()));
            }
        }
        return path;
    }

    /** The way Silver was written before: Avro generic records through parquet-avro. */
    private static Path writeAvro(Path path, List<Row> rows, ParquetWriterSettings settings) throws IOException {
        try (ParquetWriter<GenericRecord> writer = LakeParquet.openWriter(new HashingOutputFile(path), SilverSchemaV1.SCHEMA,
                settings, SilverSchemaV1.NO_DICTIONARY, metadata())) {
            GenericData.Record record = new GenericData.Record(SilverSchemaV1.SCHEMA);
            record.put(SilverSchemaV1.POS_RUN_ID, RUN_ID);
            for (Row row : rows) {
                record.put(SilverSchemaV1.POS_TRANSACTION_ID, row.transactionId());
                record.put(SilverSchemaV1.POS_CUSTOMER_ID, row.customerId());
                record.put(SilverSchemaV1.POS_TRANSACTION_AMOUNT, SilverSchemaV1.amount(row.amountCents()));
                record.put(SilverSchemaV1.POS_CURRENCY, row.currency());
                record.put(SilverSchemaV1.POS_TRANSACTION_TIMESTAMP, row.timestampMicros());
                record.put(SilverSchemaV1.POS_SOURCE_LINE, row.sourceLine());
                writer.write(record);
            }
        }
        return path;
    }

    /** The footer metadata {@link SilverStagingWriter} gives its files. */
    private static Map<String, String> metadata() {
        return Map.of("mortgagelake.table", LakeLayout.DATASET_PATH, "mortgagelake.schema_version",
                SilverSchemaV1.SCHEMA_VERSION, "mortgagelake.run_id", RUN_ID);
    }

    private static List<GenericRecord> readAll(Path file) throws IOException {
        List<GenericRecord> records = new ArrayList<>();
        try (ParquetRecords reader = LakeParquet.openReader(file, null)) {
            for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
                records.add(record);
            }
        }
        return records;
    }

    private static long micros(String instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(instant));
    }
}
