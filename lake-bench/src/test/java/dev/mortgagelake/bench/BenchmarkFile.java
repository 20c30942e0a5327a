package dev.mortgagelake.bench;

import dev.mortgagelake.validation.sample.SampleFileGenerator;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * The benchmark's input: a seeded gzip CSV as {@code performance.md} describes it (2% invalid rows of
 * several kinds, 0.5% exact duplicate rows, timestamps over 2020-2024 so 60 year/month partitions).
 * The rows come from the lake's {@link SampleFileGenerator}; duplicates are made by writing a seeded
 * choice of data lines twice, right after themselves.
 */
final class BenchmarkFile {

    static final double INVALID_FRACTION = 0.02;
    static final double DUPLICATE_FRACTION = 0.005;

    /** What the file holds. */
    record Described(Path path, long dataLines, long duplicateLines, long generatedValid, long generatedInvalid, long bytes) {
    }

    private BenchmarkFile() {
    }

    /** Writes (or reuses, when a file of the same name exists) the file for {@code rows} generated rows. */
    static Described write(Path dir, long rows, long seed) throws IOException {
        Files.createDirectories(dir);
        Path path = dir.resolve("transactions-" + rows + "-" + seed + ".csv.gz");
        SampleFileGenerator.Options options = SampleFileGenerator.Options.of(rows, seed)
                .withInvalidFraction(INVALID_FRACTION)
                .withMonths(YearMonth.of(2020, 1), 60);
        DuplicatingLines lines;
        SampleFileGenerator.Result result;
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
             GZIPOutputStream gzip = new GZIPOutputStream(file, 1 << 16)) {
            lines = new DuplicatingLines(gzip, new SplittableRandom(seed ^ 0x5DEECE66DL), DUPLICATE_FRACTION);
            result = SampleFileGenerator.write(options, lines);
            lines.flush();
        }
        return new Described(path, result.rows() + lines.duplicates, lines.duplicates, result.validRows(), result.invalidRows(),
                Files.size(path));
    }

    /** Passes lines through, writing a seeded fraction of data lines (never the header) twice. */
    private static final class DuplicatingLines extends OutputStream {
        private final OutputStream out;
        private final SplittableRandom random;
        private final double fraction;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        private boolean header = true;
        long duplicates;

        DuplicatingLines(OutputStream out, SplittableRandom random, double fraction) {
            this.out = out;
            this.random = random;
            this.fraction = fraction;
        }

        @Override
        public void write(int b) throws IOException {
            line.write(b);
            if (b == '\n') {
                endLine();
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            int start = offset;
            for (int i = offset; i < offset + length; i++) {
                if (bytes[i] == '\n') {
                    line.write(bytes, start, i + 1 - start);
                    endLine();
                    start = i + 1;
                }
            }
            line.write(bytes, start, offset + length - start);
        }

        private void endLine() throws IOException {
            line.writeTo(out);
            if (!header && random.nextDouble() < fraction) {
                line.writeTo(out);
                duplicates++;
            }
            header = false;
            line.reset();
        }

        @Override
        public void flush() throws IOException {
            line.writeTo(out);
            line.reset();
            out.flush();
        }
    }
}
