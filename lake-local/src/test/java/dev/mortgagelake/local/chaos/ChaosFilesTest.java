package dev.mortgagelake.local.chaos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The chaos run's files: reproducible from the seed, and the ids they must put into Silver are exactly the valid ones. */
class ChaosFilesTest {

    @TempDir
    Path dir;

    @Test
    void theSameSeedWritesTheSameBytesAndAnotherSeedOtherBytes() throws Exception {
        ChaosFiles.ChaosFile a = ChaosFiles.write(dir.resolve("a"), 5, 3);
        ChaosFiles.ChaosFile b = ChaosFiles.write(dir.resolve("b"), 5, 3);
        ChaosFiles.ChaosFile c = ChaosFiles.write(dir.resolve("c"), 6, 3);
        assertThat(Files.readAllBytes(a.path())).isEqualTo(Files.readAllBytes(b.path()));
        assertThat(a.silverIds()).isEqualTo(b.silverIds());
        assertThat(c.silverIds()).doesNotContainAnyElementsOf(a.silverIds());
    }

    @Test
    void everyRowIsValidOrBadAndTheRetryFileHasRowsInTheRetryCurrency() throws Exception {
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            ChaosFiles.ChaosFile file = ChaosFiles.write(dir, 11, i);
            List<String> lines = lines(file.path());
            assertThat(lines).hasSize((int) file.rows() + 1);
            assertThat(file.silverIds().size() + file.badRows()).isEqualTo(file.rows());
            assertThat(all.addAll(file.silverIds())).isTrue();
            long retry = lines.stream().filter(l -> l.contains("," + ChaosFiles.RETRY_CURRENCY + ",")).count();
            assertThat(retry).isEqualTo(file.retryRows());
            assertThat(retry > 0).isEqualTo(i == 0);
        }
    }

    @Test
    void theLakesOwnValidationPutsExactlyTheExpectedRowsIntoSilver() throws Exception {
        for (int i : new int[] {0, 1, 2, 3, 4, 5}) {
            ChaosFiles.ChaosFile file = ChaosFiles.write(dir.resolve("files"), 1, i);
            java.io.StringWriter out = new java.io.StringWriter();
            picocli.CommandLine command = new picocli.CommandLine(new dev.mortgagelake.local.LakeCommand());
            command.setOut(new java.io.PrintWriter(out));
            int exit = command.execute("validate", file.path().toString(), "--out", dir.resolve("out-" + i).toString());
            assertThat(exit).isZero();
            com.fasterxml.jackson.databind.JsonNode summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
            // the retry currency is not allowed yet: those rows are quarantined at first
            assertThat(summary.get("rows_read").asLong()).isEqualTo(file.rows());
            assertThat(summary.get("silver").asLong()).as(file.name()).isEqualTo(file.silverIds().size() - file.retryRows());
            assertThat(summary.get("quarantined").asLong() + summary.get("condemned").asLong()).as(file.name())
                    .isEqualTo(file.badRows() + file.retryRows());
        }
    }

    private static List<String> lines(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length > 1 && (bytes[0] & 0xFF) == 0x1F && (bytes[1] & 0xFF) == 0x8B) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                bytes = in.readAllBytes();
            }
        }
        return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    }
}
