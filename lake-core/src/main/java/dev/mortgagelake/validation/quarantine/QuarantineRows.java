package dev.mortgagelake.validation.quarantine;

import dev.mortgagelake.parquet.LakeParquet;
import dev.mortgagelake.parquet.ParquetRecords;
import org.apache.avro.generic.GenericRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the rows of a local quarantine or condemned Parquet file ({@link QuarantineSchemaV1}), one
 * row group in memory at a time.
 */
public final class QuarantineRows {

    private QuarantineRows() {
    }

    /**
     * Passes every row of {@code file} to {@code action}, in file order.
     *
     * @return the number of rows read
     * @throws IOException if the file cannot be read as Parquet
     * @throws IllegalArgumentException if a row does not have the quarantine schema's columns
     */
    public static long read(Path file, Consumer<QuarantinedRow> action) throws IOException {
        long rows = 0;
        try (ParquetRecords records = LakeParquet.openReader(file, null)) {
            for (GenericRecord record = records.read(); record != null; record = records.read()) {
                action.accept(toRow(record));
                rows++;
            }
        }
        return rows;
    }

    private static QuarantinedRow toRow(GenericRecord record) {
        try {
            String[] values = new String[QuarantineSchemaV1.VALUE_COLUMNS.size()];
            for (int i = 0; i < values.length; i++) {
                String column = QuarantineSchemaV1.VALUE_COLUMNS.get(i);
                // a file written with contract v1.0 has no transaction_type: null, as for an absent column
                Object value = record.getSchema().getField(column) == null ? null : record.get(column);
                values[i] = value == null ? null : value.toString();
            }
            List<?> history = (List<?>) record.get(QuarantineSchemaV1.RETRY_HISTORY);
            List<RetryAttempt> attempts = new ArrayList<>(history.size());
            for (Object element : history) {
                attempts.add(RetryAttempt.fromAvro((GenericRecord) element));
            }
            return QuarantinedRow.of(values, (Long) record.get(QuarantineSchemaV1.SOURCE_LINE),
                    record.get(QuarantineSchemaV1.RAW_RECORD).toString(),
                    record.get(QuarantineSchemaV1.VALIDATION_ERROR).toString(),
                    RetryAttempt.strings(record.get(QuarantineSchemaV1.ERROR_CODES)),
                    (Integer) record.get(QuarantineSchemaV1.ATTEMPT_COUNT), attempts,
                    record.get(QuarantineSchemaV1.RUN_ID).toString(),
                    LocalDate.ofEpochDay((Integer) record.get(QuarantineSchemaV1.INGEST_DATE)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Not a quarantine row of schema v1: " + e, e);
        }
    }
}
