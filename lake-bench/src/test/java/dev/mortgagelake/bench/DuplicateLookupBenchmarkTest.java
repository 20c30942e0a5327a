package dev.mortgagelake.bench;

import dev.mortgagelake.event.RunValidated;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the duplicate lookup benchmark honest (it measures nothing here): against the published lake
 * the validation condemns exactly the planted copies plus the file's own duplicates and quarantines
 * exactly the planted id conflicts, and against the empty lake neither, so the difference in time
 * is the cost of the published rows and nothing else.
 */
class DuplicateLookupBenchmarkTest {

    @TempDir
    Path work;

    @Test
    void findsExactlyThePlantedDuplicatesAndConflicts() throws Exception {
        DuplicateLookupBenchmark.Comparison comparison = DuplicateLookupBenchmark.compare(20_000, 2, 5_000, 2, 7, work,
                new PrintStream(OutputStream.nullOutputStream()));

        assertThat(comparison.exactCopies()).isEqualTo(50); // 1% of 5,000
        assertThat(comparison.idConflicts()).isEqualTo(10); // 0.2% of 5,000
        BenchmarkFile.Described file = comparison.file();
        assertThat(file.plantedLines()).isEqualTo(60);
        assertThat(file.validDuplicateLines()).isPositive().isLessThanOrEqualTo(file.duplicateLines());
        assertThat(file.dataLines()).isEqualTo(5_000 + file.duplicateLines());

        assertThat(comparison.againstPublished().runs()).hasSize(2);
        assertThat(comparison.againstEmpty().runs()).hasSize(2);
        RunValidated published = comparison.againstPublished().run();
        RunValidated empty = comparison.againstEmpty().run();
        long inFile = file.validDuplicateLines();
        assertThat(published.counts().rowsRead()).isEqualTo(file.dataLines()).isEqualTo(empty.counts().rowsRead());
        assertThat(published.counts().condemned()).isEqualTo(50 + inFile);
        assertThat(published.condemned().reasonCounts()).containsExactly(Map.entry("DUPLICATE_EXACT", 50 + inFile));
        assertThat(published.quarantine().errorCounts()).containsEntry("DUPLICATE_ID_CONFLICT", 10L);
        assertThat(empty.counts().condemned()).isEqualTo(inFile);
        assertThat(empty.quarantine().errorCounts()).doesNotContainKey("DUPLICATE_ID_CONFLICT");
        // the planted rows are the only difference: each leaves Silver, the conflicts go to quarantine
        assertThat(empty.counts().silver() - published.counts().silver()).isEqualTo(60);
        assertThat(published.counts().quarantined() - empty.counts().quarantined()).isEqualTo(10);
        assertThat(comparison.mismatches()).isEmpty();
        assertThat(comparison.toJson().get("planted_found_exactly").asBoolean()).isTrue();
    }
}
