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
    /** The partitions of months 1970-01 .. 2199-12 by {@link #monthsSince1970}, filled as met. */
    private final PartitionState[] byMonth = new PartitionState[230 * 12];
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

    /** Appends one valid row of type {@code UNKNOWN} (a file without a TransactionType column). */
    public void write(String transactionId, String customerId, long amountCents, String currency, long timestampMicros,
                      long sourceLine) throws IOException {
        write(transactionId, customerId, amountCents, currency, timestampMicros, sourceLine,
                dev.mortgagelake.validation.contract.ContractV1.UNKNOWN_TRANSACTION_TYPE);
    }

    /** Appends one valid row ({@code transactionType}: its Silver type, {@code UNKNOWN} when the file has none). */
    public void write(String transactionId, String customerId, long amountCents, String currency, long timestampMicros,
                      long sourceLine, String transactionType) throws IOException {
        long epochDay = Math.floorDiv(timestampMicros, MICROS_PER_DAY);
        if (epochDay < currentFirstDay || epochDay >= currentEndDay) {
            current = partitionOf(epochDay);
            currentFirstDay = current.firstDay;
            currentEndDay = current.endDay;
        }
        current.write(row.set(transactionId, customerId, amountCents, currency, timestampMicros, sourceLine, transactionType));
    }

    /**
     * The partition of a day. Rows arrive in no month order, so this runs for most rows: months since
     * 1970 are found by index without allocating; other months through the sorted map.
     */
    private PartitionState partitionOf(long epochDay) {
        long monthsSince1970 = monthsSince1970(epochDay);
        if (monthsSince1970 >= 0 && monthsSince1970 < byMonth.length) {
            PartitionState state = byMonth[(int) monthsSince1970];
            if (state == null) {
                state = partitions.computeIfAbsent(YearMonth.from(LocalDate.ofEpochDay(epochDay)), PartitionState::new);
                byMonth[(int) monthsSince1970] = state;
            }
            return state;
        }
        return partitions.computeIfAbsent(YearMonth.from(LocalDate.ofEpochDay(epochDay)), PartitionState::new);
    }

    /** Whole months from January 1970 to the month of {@code epochDay} (civil-from-days, proleptic Gregorian). */
    static long monthsSince1970(long epochDay) {
        long z = epochDay + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long shiftedMonth = (5 * dayOfYear + 2) / 153;
        long month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        return (year - 1970) * 12 + month - 1;
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
        private final long firstDay;
        private final long endDay;
        private final List<StagedPart> done = new ArrayList<>();
        private ParquetWriter<SilverWriteSupport.Row> writer;
        private HashingOutputFile file;
        private long rows;
        private long partRows;

        PartitionState(YearMonth month) {
            this.month = month;
            this.firstDay = month.atDay(1).toEpochDay();
            this.endDay = month.plusMonths(1).atDay(1).toEpochDay();
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
