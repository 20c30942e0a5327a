package dev.mortgagelake.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the benchmark honest (it measures nothing here): on a small file both engines read the same
 * rows and agree on what is valid, so the throughput ratio compares the same job.
 */
class ValidationBenchmarkTest {

    @TempDir
    Path work;

    @Test
    void bothEnginesDoTheSameJobOnTheSameFile() throws Exception {
        BenchmarkFile.Described file = BenchmarkFile.write(work.resolve("input"), 20_000, 7);

        EngineResult lake = LakeValidationEngine.run(file, work.resolve("lake"));
        EngineResult duck = DuckDbEngine.run(file, work.resolve("duck"));

        assertThat(file.duplicateLines()).isPositive();
        assertThat(lake.rowsRead()).isEqualTo(file.dataLines()).isEqualTo(duck.rowsRead());
        // every generated invalid row, plus the duplicated copies of invalid lines, is quarantined by both
        assertThat(lake.quarantined()).isEqualTo(duck.quarantined()).isBetween(file.generatedInvalid(),
                file.generatedInvalid() + file.duplicateLines());
        // valid rows: the lake keeps or condemns each copy; DuckDB keeps one and drops the rest
        assertThat(lake.silver() + lake.duplicates()).isEqualTo(duck.silver() + duck.duplicates());
        assertThat(lake.partitions()).isEqualTo(duck.partitions()).isEqualTo(60);
    }

    @Test
    void theGunzipFloorReadsTheWholeFile() throws Exception {
        BenchmarkFile.Described file = BenchmarkFile.write(work.resolve("input"), 2_000, 7);

        assertThat(ValidationBenchmark.gunzipSeconds(file.path())).isPositive();
        // a file gunzip cannot read fails the benchmark instead of reporting a floor of nothing
        java.nio.file.Path broken = java.nio.file.Files.write(work.resolve("broken.csv.gz"), new byte[] {1, 2, 3});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ValidationBenchmark.gunzipSeconds(broken))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("exited with");
    }
}
