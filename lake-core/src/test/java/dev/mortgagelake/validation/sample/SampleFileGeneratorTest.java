package dev.mortgagelake.validation.sample;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class SampleFileGeneratorTest {

    private static byte[] generate(SampleFileGenerator.Options options) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SampleFileGenerator.write(options, out);
        return out.toByteArray();
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOtherBytes() throws IOException {
        SampleFileGenerator.Options options = SampleFileGenerator.Options.of(500, 11);

        assertThat(generate(options)).isEqualTo(generate(options));
        assertThat(generate(options)).isNotEqualTo(generate(SampleFileGenerator.Options.of(500, 12)));
    }

    @Test
    void reportsWhatItWrote() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SampleFileGenerator.Result result = SampleFileGenerator.write(
                SampleFileGenerator.Options.of(1_000, 3).withInvalidFraction(0.2).withMonths(YearMonth.of(2023, 11), 3), out);
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");

        assertThat(lines[0]).isEqualTo("TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp");
        assertThat(lines).hasSize(1_001);
        assertThat(result.rows()).isEqualTo(1_000);
        assertThat(result.validRows() + result.invalidRows()).isEqualTo(1_000);
        assertThat(result.invalidRows()).isBetween(150L, 250L);
        assertThat(result.invalidByKind().keySet()).containsExactlyInAnyOrder(SampleFileGenerator.InvalidKind.values());
        assertThat(result.invalidByKind().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(result.invalidRows());
        assertThat(result.validByMonth().keySet()).containsExactly("2023-11", "2023-12", "2024-01");
        assertThat(result.validByMonth().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(result.validRows());
    }

    @Test
    void gzipOutputDecompressesToThePlainFile() throws IOException {
        SampleFileGenerator.Options plain = SampleFileGenerator.Options.of(200, 5);
        byte[] gzip = generate(plain.withGzip(true));

        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzip))) {
            assertThat(in.readAllBytes()).isEqualTo(generate(plain));
        }
    }
}
