package dev.mortgagelake.validation;

import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.validation.sample.SampleFileGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator's report and the validator's result agree, row for row and code for code. */
class SampleFileValidationTest {

    @TempDir
    Path tempDir;

    @Test
    void validatingAGeneratedFileGivesExactlyTheReportedOutcome() throws Exception {
        TestLake lake = new TestLake(tempDir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SampleFileGenerator.Result generated = SampleFileGenerator.write(SampleFileGenerator.Options.of(3_000, 99)
                .withInvalidFraction(0.1).withMonths(YearMonth.of(2024, 1), 4).withGzip(true), out);
        FileLanded landed = lake.land("sample.csv.gz", out.toByteArray());

        RunValidated result = lake.validator().validate(landed);

        assertThat(result.counts()).isEqualTo(new RunValidated.Counts(3_000, generated.validRows(), generated.invalidRows(), 0));
        Map<String, Long> silverByMonth = new TreeMap<>();
        result.partitions().forEach(p -> silverByMonth.put(p.yearMonth(), p.rows()));
        assertThat(silverByMonth).isEqualTo(generated.validByMonth());
        Map<String, Long> expectedCodes = new TreeMap<>();
        generated.invalidByKind().forEach((kind, rows) -> expectedCodes.merge(kind.expectedCode().name(), rows, Long::sum));
        assertThat(result.quarantine().errorCounts()).isEqualTo(expectedCodes);
    }
}
