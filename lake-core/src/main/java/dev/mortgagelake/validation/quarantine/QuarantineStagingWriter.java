package dev.mortgagelake.validation.quarantine;

import dev.mortgagelake.validation.contract.RowVerdict;
import dev.mortgagelake.parquet.HashingOutputFile;
import dev.mortgagelake.parquet.LakeParquet;
import dev.mortgagelake.parquet.ParquetWriterSettings;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetWriter;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a run's invalid (or condemned, or retried) rows into one local Parquet file of
 * {@link QuarantineSchemaV1}. Rows read from Bronze are first attempts ({@code attempt_count = 1},
 * empty {@code retry_history}); rows of a retry run carry their attempt and history
 * ({@link #write(String[], long, String, List, String, int, List)}). The file is created on the first
 * row, so a run without such rows has none. Not thread-safe; one instance per run.
 */
public final class QuarantineStagingWriter implements Closeable {

    private final Path path;
    private final String table;
    private final String runId;
    private final int ingestEpochDay;
    private final ParquetWriterSettings settings;
    private final Map<String, Long> errorCounts = new TreeMap<>();
    private ParquetWriter<GenericRecord> writer;
    private HashingOutputFile file;
    private GenericData.Record record;
    private long rows;
    private boolean finished;

    public QuarantineStagingWriter(Path path, String runId, LocalDate ingestDate, ParquetWriterSettings settings) {
        this(path, runId, ingestDate, settings, "mortgages/transactions/quarantine");
    }

    /** @param table the table name in the file's metadata (quarantine, condemned or retried) */
    public QuarantineStagingWriter(Path path, String runId, LocalDate ingestDate, ParquetWriterSettings settings, String table) {
        this.table = table;
        this.path = path;
        this.runId = runId;
        this.ingestEpochDay = Math.toIntExact(ingestDate.toEpochDay());
        this.settings = settings;
    }

    /**
     * Appends one invalid record.
     *
     * @param values     the contract values as read, in the order of {@code ContractV1.VALUE_COLUMNS};
     *                   {@code null} where the record has no such field (or the file no such optional column)
     * @param sourceLine the line on which the record starts
     * @param fields     every field of the record as read
     * @param verdict    the failed verdict
     */
    public void write(String[] values, long sourceLine, List<String> fields, RowVerdict verdict) throws IOException {
        if (verdict.isValid()) {
            throw new IllegalArgumentException("Only invalid records are quarantined (line " + sourceLine + ")");
        }
        write(values, sourceLine, fields, verdict.errorCodes(), verdict.describe());
    }

    /**
     * Appends one record with the given codes and description (condemned rows: the condemnation
     * reason as the code, its message as {@code validation_error}).
     */
    public void write(String[] values, long sourceLine, List<String> fields, List<String> codes, String description)
            throws IOException {
        append(values, sourceLine, RawRecords.encode(fields), codes, description, 1, List.of());
    }

    /**
     * Appends one row of a later attempt (a retry run): its original values, line and
     * {@code raw_record}, the codes and description written for it, the attempt it has reached and its
     * earlier attempts, oldest first.
     */
    public void write(String[] values, long sourceLine, String rawRecord, List<String> codes, String description,
                      int attemptCount, List<RetryAttempt> history) throws IOException {
        if (attemptCount < 1) {
            throw new IllegalArgumentException("attempt_count must be at least 1, not " + attemptCount + " (line " + sourceLine + ")");
        }
        List<GenericRecord> elements = new ArrayList<>(history.size());
        for (RetryAttempt attempt : history) {
            elements.add(attempt.toAvro());
        }
        append(values, sourceLine, rawRecord, codes, description, attemptCount, elements);
    }

    private void append(String[] values, long sourceLine, String rawRecord, List<String> codes, String description,
                        int attemptCount, List<GenericRecord> history) throws IOException {
        if (writer == null) {
            open();
        }
        for (int i = 0; i < QuarantineSchemaV1.VALUE_COLUMNS.size(); i++) {
            record.put(QuarantineSchemaV1.VALUE_POSITIONS[i], i < values.length ? values[i] : null);
        }
        record.put(QuarantineSchemaV1.POS_SOURCE_LINE, sourceLine);
        record.put(QuarantineSchemaV1.POS_RAW_RECORD, rawRecord);
        record.put(QuarantineSchemaV1.POS_VALIDATION_ERROR, description);
        record.put(QuarantineSchemaV1.POS_ERROR_CODES, codes);
        record.put(QuarantineSchemaV1.POS_ATTEMPT_COUNT, attemptCount);
        record.put(QuarantineSchemaV1.POS_RETRY_HISTORY, history);
        writer.write(record);
        rows++;
        for (String code : codes) {
            errorCounts.merge(code, 1L, Long::sum);
        }
    }

    /** Closes the file; {@code null} when no row was written (and no file exists). */
    public StagedQuarantine finish() throws IOException {
        if (finished) {
            throw new IllegalStateException("Already finished");
        }
        finished = true;
        if (writer == null) {
            return null;
        }
        writer.close();
        writer = null;
        return new StagedQuarantine(file.path(), rows, file.sizeBytes(), file.sha256(), new TreeMap<>(errorCounts));
    }

    /** Abandons the file if it is still open (the caller deletes the staging directory). */
    @Override
    public void close() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        if (writer != null) {
            ParquetWriter<GenericRecord> open = writer;
            writer = null;
            open.close();
        }
    }

    private void open() throws IOException {
        file = new HashingOutputFile(path);
        writer = LakeParquet.openWriter(file, QuarantineSchemaV1.SCHEMA, settings, QuarantineSchemaV1.NO_DICTIONARY,
                Map.of("mortgagelake.table", table, "mortgagelake.schema_version", "v1",
                        "mortgagelake.run_id", runId));
        record = new GenericData.Record(QuarantineSchemaV1.SCHEMA);
        record.put(QuarantineSchemaV1.POS_RUN_ID, runId);
        record.put(QuarantineSchemaV1.POS_INGEST_DATE, ingestEpochDay);
    }
}
