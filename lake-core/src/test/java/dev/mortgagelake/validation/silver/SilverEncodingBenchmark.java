package dev.mortgagelake.validation.silver;

import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.parquet.HashingOutputFile;
import dev.mortgagelake.parquet.LakeParquet;
import dev.mortgagelake.parquet.ParquetWriterSettings;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetWriter;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Silver encoding cost, Avro records through parquet-avro (how {@link SilverStagingWriter} wrote
 * before) against {@link SilverWriteSupport} (how it writes now): N rows spread at random over 60
 * months, one open writer per month, on one thread (the encoder thread of
 * {@link PipelinedSilverWriter}). Prints wall and thread CPU seconds (the latter less disturbed by
 * other load on the machine), bytes allocated by the thread, and GC time per run, and checks that
 * both paths wrote identical files. Not a test (surefire does not run it).
 *
 * <p>Run (from the repository root; Hadoop is left off the class path, as in production):
 * <pre>
 * ./mvnw -B -o -q -pl lake-core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/lake-core.cp \
 *     -Dmdep.includeScope=test -Dmdep.excludeArtifactIds=hadoop-client-api
 * java -Xmx1g -cp lake-core/target/classes:lake-core/target/test-classes:$(cat /tmp/lake-core.cp) \
 *     dev.mortgagelake.validation.silver.SilverEncodingBenchmark [rows=2000000] [repeats=3]
 * </pre>
 */
public final class SilverEncodingBenchmark {

    private static final String RUN_ID = "run-bench";
    private static final int MONTHS = 60;
    private static final int DISTINCT_ROWS = 1 << 18;
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private SilverEncodingBenchmark() {
    }

    /** A pool of rows, cycled (distinct strings for the whole run would dominate the heap). */
    private record Rows(String[] transactionIds, String[] customerIds, long[] amounts, String[] currencies, long[] timestamps) {
        static Rows generate(long seed) {
            Random random = new Random(seed);
            String[] currencies = {"USD", "EUR", "GBP", "CAD"};
            long firstDay = LocalDate.of(2020, 1, 1).toEpochDay();
            long days = LocalDate.of(2020, 1, 1).plusMonths(MONTHS).toEpochDay() - firstDay;
            Rows rows = new Rows(new String[DISTINCT_ROWS], new String[DISTINCT_ROWS], new long[DISTINCT_ROWS],
                    new String[DISTINCT_ROWS], new long[DISTINCT_ROWS]);
            for (int i = 0; i < DISTINCT_ROWS; i++) {
                rows.transactionIds[i] = "TX" + String.format("%012d", random.nextLong(1_000_000_000_000L));
                rows.customerIds[i] = "CUST" + String.format("%07d", random.nextInt(200_000));
                rows.amounts[i] = random.nextLong(-5_000_000L, 50_000_000L);
                rows.currencies[i] = currencies[random.nextInt(currencies.length)];
                rows.timestamps[i] = (firstDay + random.nextLong(days)) * MICROS_PER_DAY + random.nextLong(MICROS_PER_DAY);
            }
            return rows;
        }
    }

    /** How one path writes rows. */
    private interface Encoder {
        void write(String transactionId, String customerId, long amountCents, String currency, long timestampMicros,
                   long sourceLine) throws IOException;

        /** Closes every file; returns each file's SHA-256 by relative path. */
        Map<String, String> finish() throws IOException;
    }

    public static void main(String[] args) throws IOException {
        int rowCount = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Rows rows = Rows.generate(42);
        System.out.printf("Silver encoding: %,d rows over %d months, one thread, settings %s%n", rowCount, MONTHS,
                ParquetWriterSettings.DEFAULT);
        System.out.println("path    seconds  cpu_seconds  allocated_MB  alloc_bytes_per_row  gc_ms");
        // Warm-up of both paths (JIT), not reported.
        run("avro", rows, rowCount / 4, false);
        run("direct", rows, rowCount / 4, false);
        for (int i = 0; i < repeats; i++) {
            Map<String, String> avro = run("avro", rows, rowCount, true);
            Map<String, String> direct = run("direct", rows, rowCount, true);
            if (!avro.equals(direct)) {
                throw new IllegalStateException("The two paths wrote different files");
            }
        }
        System.out.println("Both paths wrote byte-identical files.");
    }

    private static Map<String, String> run(String path, Rows rows, int rowCount, boolean report) throws IOException {
        Path dir = Files.createTempDirectory("silver-bench-");
        try {
            System.gc();
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long thread = Thread.currentThread().getId();
            long allocatedBefore = threads.getThreadAllocatedBytes(thread);
            long gcBefore = gcMillis();
            long cpuBefore = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            Encoder encoder = path.equals("avro") ? new AvroEncoder(dir) : new DirectEncoder(dir);
            for (int i = 0; i < rowCount; i++) {
                int r = i & (DISTINCT_ROWS - 1);
                encoder.write(rows.transactionIds[r], rows.customerIds[r], rows.amounts[r], rows.currencies[r], rows.timestamps[r],
                        i + 2L);
            }
            Map<String, String> files = encoder.finish();
            long nanos = System.nanoTime() - start;
            long cpuNanos = threads.getCurrentThreadCpuTime() - cpuBefore;
            long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
            long gc = gcMillis() - gcBefore;
            if (report) {
                System.out.printf("%-6s  %7.2f  %11.2f  %12d  %19d  %5d%n", path, nanos / 1e9, cpuNanos / 1e9,
                        allocated / (1024 * 1024), allocated / rowCount, gc);
            }
            return files;
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static Map<String, String> hashes(Path dir, List<StagedPart> parts) {
        Map<String, String> hashes = new TreeMap<>();
        for (StagedPart part : parts) {
            hashes.put(dir.relativize(part.file()).toString(), part.sha256());
        }
        return hashes;
    }

    /** The new path: {@link SilverStagingWriter} as it is. */
    private static final class DirectEncoder implements Encoder {
        private final Path dir;
        private final SilverStagingWriter writer;

        DirectEncoder(Path dir) {
            this.dir = dir;
            this.writer = new SilverStagingWriter(dir, RUN_ID, ParquetWriterSettings.DEFAULT, Long.MAX_VALUE);
        }

        @Override
        public void write(String transactionId, String customerId, long amountCents, String currency, long timestampMicros,
                          long sourceLine) throws IOException {
            writer.write(transactionId, customerId, amountCents, currency, timestampMicros, sourceLine);
        }

        @Override
        public Map<String, String> finish() throws IOException {
            return hashes(dir, writer.finish());
        }
    }

    /** The previous path of {@link SilverStagingWriter}: one Avro record per month, refilled per row. */
    private static final class AvroEncoder implements Encoder {
        private final Path dir;
        private final Map<String, String> metadata = Map.of("mortgagelake.table", LakeLayout.DATASET_PATH,
                "mortgagelake.schema_version", SilverSchemaV1.SCHEMA_VERSION, "mortgagelake.run_id", RUN_ID);
        private final Map<YearMonth, Month> months = new HashMap<>();
        private Month current;
        private long currentFirstDay = Long.MAX_VALUE;
        private long currentEndDay = Long.MIN_VALUE;

        AvroEncoder(Path dir) {
            this.dir = dir;
        }

        private final class Month {
            final HashingOutputFile file;
            final ParquetWriter<GenericRecord> writer;
            final GenericData.Record record = new GenericData.Record(SilverSchemaV1.SCHEMA);
            final YearMonth month;
            long rows;

            Month(YearMonth month) throws IOException {
                this.month = month;
                Path monthDir = Files.createDirectories(dir.resolve(month.toString()));
                file = new HashingOutputFile(monthDir.resolve(LakeLayout.partFileName(0)));
                writer = LakeParquet.openWriter(file, SilverSchemaV1.SCHEMA, ParquetWriterSettings.DEFAULT,
                        SilverSchemaV1.NO_DICTIONARY, metadata);
                record.put(SilverSchemaV1.POS_RUN_ID, RUN_ID);
            }
        }

        @Override
        public void write(String transactionId, String customerId, long amountCents, String currency, long timestampMicros,
                          long sourceLine) throws IOException {
            long epochDay = Math.floorDiv(timestampMicros, MICROS_PER_DAY);
            if (epochDay < currentFirstDay || epochDay >= currentEndDay) {
                YearMonth month = YearMonth.from(LocalDate.ofEpochDay(epochDay));
                current = months.get(month);
                if (current == null) {
                    current = new Month(month);
                    months.put(month, current);
                }
                currentFirstDay = month.atDay(1).toEpochDay();
                currentEndDay = month.plusMonths(1).atDay(1).toEpochDay();
            }
            GenericData.Record record = current.record;
            record.put(SilverSchemaV1.POS_TRANSACTION_ID, transactionId);
            record.put(SilverSchemaV1.POS_CUSTOMER_ID, customerId);
            record.put(SilverSchemaV1.POS_TRANSACTION_AMOUNT, SilverSchemaV1.amount(amountCents));
            record.put(SilverSchemaV1.POS_CURRENCY, currency);
            record.put(SilverSchemaV1.POS_TRANSACTION_TIMESTAMP, timestampMicros);
            record.put(SilverSchemaV1.POS_SOURCE_LINE, sourceLine);
            current.writer.write(record);
            current.rows++;
        }

        @Override
        public Map<String, String> finish() throws IOException {
            List<StagedPart> parts = new ArrayList<>();
            for (Month month : months.values()) {
                month.writer.close();
                parts.add(new StagedPart(month.month, 0, month.file.path(), month.rows, month.file.sizeBytes(),
                        month.file.sha256()));
            }
            return hashes(dir, parts);
        }
    }
}
