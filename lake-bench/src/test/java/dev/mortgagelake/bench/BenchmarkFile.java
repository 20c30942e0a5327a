package dev.mortgagelake.bench;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.mortgagelake.validation.ValidationConfig;
import dev.mortgagelake.validation.contract.CommonIsoCurrencies;
import dev.mortgagelake.validation.contract.ContractV1;
import dev.mortgagelake.validation.contract.TransactionRules;
import dev.mortgagelake.validation.sample.SampleFileGenerator;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * The benchmark's input: a seeded gzip CSV as {@code PERFORMANCE.md} describes it (2% invalid rows of
 * several kinds, 0.5% exact duplicate rows, timestamps over 2020-2024 so 60 year/month partitions).
 * The rows come from the lake's {@link SampleFileGenerator}; duplicates are made by writing a seeded
 * choice of data lines twice, right after themselves. {@link Spec} also lets a file use its own id
 * space and carry planted lines (rows copied from another file), for the duplicate lookup benchmark.
 */
final class BenchmarkFile {

    static final double INVALID_FRACTION = 0.02;
    static final double DUPLICATE_FRACTION = 0.005;

    /** Ids the generator writes are {@code T} + 12 digits, the first two always {@code 00} below this many rows. */
    static final long MAX_ROWS = 10_000_000_000L;

    /**
     * What the file holds. {@code dataLines = generated rows + duplicateLines + plantedLines};
     * {@code validDuplicateLines} are the duplicated lines that pass the contract, i.e. the exact
     * duplicates within the file that validation condemns.
     */
    record Described(Path path, long dataLines, long duplicateLines, long validDuplicateLines, long plantedLines,
                     long generatedValid, long generatedInvalid, long bytes) {
    }

    /**
     * What to write.
     *
     * @param rows              rows the generator writes (before duplicates and planted lines)
     * @param idSpace           0 keeps the generator's ids ({@code T00} + 10 digits); 1..99 writes them as
     *                          {@code T} + the two digits of {@code idSpace} + 10 digits, so that files of
     *                          different id spaces share no id (every generator restarts at {@code T000000000001})
     * @param planted           whole data lines (no line break) written as they are, spread evenly over the
     *                          file, never duplicated and never renamed
     */
    record Spec(long rows, long seed, double invalidFraction, double duplicateFraction, int idSpace, List<String> planted) {
        Spec {
            if (rows < 0 || rows >= MAX_ROWS || idSpace < 0 || idSpace > 99) {
                throw new IllegalArgumentException("Need 0 <= rows < " + MAX_ROWS + " and 0 <= idSpace <= 99: " + rows + ", " + idSpace);
            }
            planted = List.copyOf(planted);
        }

        /** The benchmark's standard file: 2% invalid, 0.5% duplicates, the generator's ids, nothing planted. */
        static Spec standard(long rows, long seed) {
            return new Spec(rows, seed, INVALID_FRACTION, DUPLICATE_FRACTION, 0, List.of());
        }
    }

    private BenchmarkFile() {
    }

    /** Writes the standard file for {@code rows} generated rows. */
    static Described write(Path dir, long rows, long seed) throws IOException {
        return write(dir.resolve("transactions-" + rows + "-" + seed + ".csv.gz"), Spec.standard(rows, seed));
    }

    /** Writes {@code spec} to {@code path} (gzip). The same spec always gives the same bytes. */
    static Described write(Path path, Spec spec) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        SampleFileGenerator.Options options = SampleFileGenerator.Options.of(spec.rows(), spec.seed())
                .withInvalidFraction(spec.invalidFraction())
                .withMonths(YearMonth.of(2020, 1), 60);
        Lines lines;
        SampleFileGenerator.Result result;
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
             GZIPOutputStream gzip = new GZIPOutputStream(file, 1 << 16)) {
            lines = new Lines(gzip, spec);
            result = SampleFileGenerator.write(options, lines);
            lines.finish();
        }
        return new Described(path, result.rows() + lines.duplicates + lines.planted, lines.duplicates, lines.validDuplicates,
                lines.planted, result.validRows(), result.invalidRows(), Files.size(path));
    }

    /**
     * Whether a data line of the generator passes contract v1 as {@link LakeValidationEngine} validates
     * it: as many fields as the header, and the lake's own {@link TransactionRules} at the engine's
     * validation time.
     */
    static boolean passesContract(String line) {
        List<String> fields;
        try (CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(line)) {
            fields = csv.iterator().next().getFields();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return fields.size() == ContractV1.COLUMNS.size() && RULES.check(fields.get(ContractV1.IDX_TRANSACTION_ID),
                fields.get(ContractV1.IDX_CUSTOMER_ID), fields.get(ContractV1.IDX_TRANSACTION_AMOUNT),
                fields.get(ContractV1.IDX_CURRENCY), fields.get(ContractV1.IDX_TRANSACTION_TIMESTAMP)).isValid();
    }

    private static final TransactionRules RULES = new TransactionRules(CommonIsoCurrencies.instance(),
            LakeValidationEngine.NOW.plus(ValidationConfig.DEFAULT.maxFutureSkew()), "the benchmark's validation time");

    /**
     * Passes the generator's lines through: renames ids into the spec's id space, writes a seeded
     * fraction of data lines (never the header) twice, and writes the planted lines evenly between
     * the generated ones. The random draws do not depend on the id space or the planted lines, so the
     * standard file is the same bytes as before either existed.
     */
    private static final class Lines extends OutputStream {
        private final OutputStream out;
        private final SplittableRandom random;
        private final Spec spec;
        private final byte[] idPrefix;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        private boolean header = true;
        private long generated;
        long duplicates;
        long validDuplicates;
        long planted;

        Lines(OutputStream out, Spec spec) {
            this.out = out;
            this.spec = spec;
            this.random = new SplittableRandom(spec.seed() ^ 0x5DEECE66DL);
            this.idPrefix = String.format("T%02d", spec.idSpace()).getBytes(StandardCharsets.US_ASCII);
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
            if (header) {
                header = false;
                line.writeTo(out);
                line.reset();
                return;
            }
            byte[] bytes = line.toByteArray();
            if (spec.idSpace() != 0) {
                // every generator line starts with its id, T00 + 10 digits (rows < MAX_ROWS), never quoted
                if (bytes.length < 3 || bytes[0] != 'T' || bytes[1] != '0' || bytes[2] != '0') {
                    throw new IllegalStateException("Unexpected generator line: " + new String(bytes, StandardCharsets.UTF_8));
                }
                System.arraycopy(idPrefix, 0, bytes, 0, idPrefix.length);
            }
            out.write(bytes);
            if (random.nextDouble() < spec.duplicateFraction()) {
                out.write(bytes);
                duplicates++;
                if (passesContract(new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8))) {
                    validDuplicates++;
                }
            }
            line.reset();
            generated++;
            // planted line j goes after generated line ceil((j + 1) * rows / (planted + 1)): evenly spread
            while (planted < spec.planted().size() && generated * (spec.planted().size() + 1) >= (planted + 1) * spec.rows()) {
                plant();
            }
        }

        private void plant() throws IOException {
            out.write(spec.planted().get((int) planted).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
            planted++;
        }

        /** Writes what is left: a last line without a line break, planted lines not yet placed. */
        void finish() throws IOException {
            line.writeTo(out);
            line.reset();
            while (planted < spec.planted().size()) {
                plant();
            }
            out.flush();
        }
    }
}
