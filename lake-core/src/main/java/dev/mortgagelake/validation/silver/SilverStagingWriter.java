package dev.mortgagelake.validation.silver;

import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.parquet.HashingOutputFile;
import dev.mortgagelake.parquet.LakeParquet;
import dev.mortgagelake.parquet.ParquetWriterSettings;
import org.apache.parquet.hadoop.ParquetWriter;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes valid rows as Silver v1 Parquet into local staging, partitioned by the UTC year and month of
 * {@code transaction_timestamp}: {@code <dir>/<yyyy-MM>/part-NNNNN.parquet}. One writer per month is
 * open at a time; a partition rolls to its next part file after {@code maxRowsPerPart} rows.
 * Rows are encoded by {@link SilverWriteSupport} (the file parquet-avro would write for
 * {@link SilverSchemaV1#SCHEMA}, without an Avro record per row). Nothing is uploaded here. Not
 * thread-safe; one instance per run.
 */
public final class SilverStagingWriter implements Closeable {

    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private final Path dir;
    private final String runId;
    private final ParquetWriterSettings settings;
    private final long maxRowsPerPart;
    private final Map<YearMonth, PartitionState> partitions = new TreeMap<>();
    private final Map<String, String> metadata;
    /** The row being written, reused: a writer reads it only during its {@code write} call. */
    private final SilverWriteSupport.Row row = new SilverWriteSupport.Row();
    private PartitionState current;
    private long currentFirstDay = Long.MAX_VALUE;
    private long currentEndDay = Long.MIN_VALUE;
    private boolean finished;

    public SilverStagingWriter(Path dir, String runId, ParquetWriterSettings settings, long maxRowsPerPart) {
        if (maxRowsPerPart < 1) {
            throw new IllegalArgumentException("maxRowsPerPart must be positive: " + maxRowsPerPart);
        }
        this.dir = dir;
        this.runId = runId;
        this.settings = settings;
        this.maxRowsPerPart = maxRowsPerPart;
        this.metadata = Map.of("mortgagelake.table", LakeLayout.DATASET_PATH, "mortgagelake.schema_version",
                SilverSchemaV1.SCHEMA_VERSION, "mortgagelake.run_id", runId);
    }

    /** Appends one valid row. */
    public void write(String transactionId, String customerId, long amountCents, String currency, long timestampMicros,
                      long sourceLine) throws IOException {
        long epochDay = Math.floorDiv(timestampMicros, MICROS_PER_DAY);
        if (epochDay < currentFirstDay || epochDay >= currentEndDay) {
            YearMonth month = YearMonth.from(LocalDate.ofEpochDay(epochDay));
            current = partitions.computeIfAbsent(month, PartitionState::new);
            currentFirstDay = month.atDay(1).toEpochDay();
            currentEndDay = month.plusMonths(1).atDay(1).toEpochDay();
        }
        current.write(row.set(transactionId, customerId, amountCents, currency, timestampMicros, sourceLine));
    }

    /** Closes every writer and returns the finished parts, by month then part number. */
    public List<StagedPart> finish() throws IOException {
        if (finished) {
            throw new IllegalStateException("Already finished");
        }
        finished = true;
        List<StagedPart> parts = new ArrayList<>();
        for (PartitionState state : partitions.values()) {
            state.closeOpenPart();
            parts.addAll(state.done);
        }
        return parts;
    }

    /** Abandons whatever is still open (the files stay in the staging directory for the caller to delete). */
    @Override
    public void close() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        IOException first = null;
        for (PartitionState state : partitions.values()) {
            try {
                state.abandon();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private final class PartitionState {
        private final YearMonth month;
        private final List<StagedPart> done = new ArrayList<>();
        private ParquetWriter<SilverWriteSupport.Row> writer;
        private HashingOutputFile file;
        private long rows;
        private long partRows;

        PartitionState(YearMonth month) {
            this.month = month;
        }

        void write(SilverWriteSupport.Row row) throws IOException {
            if (writer == null) {
                open();
            }
            writer.write(row);
            rows++;
            partRows++;
            if (partRows >= maxRowsPerPart) {
                closeOpenPart();
            }
        }

        private void open() throws IOException {
            Path monthDir = Files.createDirectories(dir.resolve(month.toString()));
            file = new HashingOutputFile(monthDir.resolve(LakeLayout.partFileName(done.size())));
            writer = LakeParquet.openWriter(file, new SilverWriteSupport(runId), settings, SilverSchemaV1.NO_DICTIONARY,
                    metadata);
            partRows = 0;
        }

        void closeOpenPart() throws IOException {
            if (writer == null) {
                return;
            }
            writer.close();
            done.add(new StagedPart(month, done.size(), file.path(), partRows, file.sizeBytes(), file.sha256()));
            writer = null;
            file = null;
        }

        void abandon() throws IOException {
            if (writer != null) {
                ParquetWriter<SilverWriteSupport.Row> open = writer;
                writer = null;
                open.close();
            }
        }
    }
}
