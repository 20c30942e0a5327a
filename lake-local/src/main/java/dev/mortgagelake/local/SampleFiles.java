package dev.mortgagelake.local;

import dev.mortgagelake.validation.sample.SampleFileGenerator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the demo's seeded sample file (gzip CSV, about 2% invalid rows of several kinds). */
final class SampleFiles {

    private SampleFiles() {
    }

    static Path write(Path dir, int rows, long seed) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("sample-" + rows + "-" + seed + ".csv.gz");
        try (OutputStream out = Files.newOutputStream(file)) {
            SampleFileGenerator.Result result = SampleFileGenerator.write(SampleFileGenerator.Options.of(rows, seed).withGzip(true), out);
            System.err.printf("Generated %s: %d rows (%d valid, %d invalid: %s)%n", file.getFileName(), result.rows(),
                    result.validRows(), result.invalidRows(), result.invalidByKind());
        }
        return file;
    }
}
