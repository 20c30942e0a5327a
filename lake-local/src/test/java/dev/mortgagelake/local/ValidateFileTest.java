package dev.mortgagelake.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./lake validate FILE --out DIR} in-process: the JSON summary and the lake layout under DIR. */
class ValidateFileTest {

    @TempDir
    Path tempDir;

    private record Result(int exitCode, JsonNode summary) {
    }

    private Result validate(String csv) throws Exception {
        Path file = tempDir.resolve("transactions.csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new LakeCommand());
        command.setOut(new PrintWriter(out));
        int exit = command.execute("validate", file.toString(), "--out", tempDir.resolve("out").toString());
        return new Result(exit, LakeCommand.JSON.readTree(out.toString()));
    }

    private List<String> filesUnderOut() throws Exception {
        Path root = tempDir.resolve("out");
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }

    @Test
    void printsOneSummaryAndWritesTheLakeLayout() throws Exception {
        Result result = validate("""
                TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp
                T1,C1,10.00,EUR,2024-01-05T10:00:00Z
                T2,C1,10.001,EUR,2024-01-05T10:00:00Z
                T3,C2,5.00,usd,2024-02-05T10:00:00Z
                T4,C2,7.00,GBP,2024-02-06T10:00:00Z
                T1,C1,10.00,EUR,2024-01-05T10:00:00Z
                """);

        assertThat(result.exitCode()).isZero();
        JsonNode summary = result.summary();
        assertThat(summary.get("outcome").asText()).isEqualTo("VALIDATED");
        assertThat(summary.get("rows_read").asLong()).isEqualTo(5);
        assertThat(summary.get("silver").asLong()).isEqualTo(2);
        assertThat(summary.get("quarantined").asLong()).isEqualTo(2);
        assertThat(summary.get("condemned").asLong()).isEqualTo(1);
        assertThat(summary.get("partitions").get("2024-01").asLong()).isEqualTo(1);
        assertThat(summary.get("partitions").get("2024-02").asLong()).isEqualTo(1);
        assertThat(summary.get("error_counts").get("AMOUNT_SCALE").asLong()).isEqualTo(1);
        assertThat(summary.get("error_counts").get("CURRENCY_FORMAT").asLong()).isEqualTo(1);
        assertThat(summary.get("condemned_reasons").get("DUPLICATE_EXACT").asLong()).isEqualTo(1);

        String run = summary.get("run_id").asText();
        List<String> files = filesUnderOut();
        assertThat(files).contains(
                "silver/mortgages/transactions/year=2024/month=01/schema_v=v1/run_id=" + run + "/part-00000.parquet",
                "silver/mortgages/transactions/year=2024/month=01/schema_v=v1/run_id=" + run + "/manifest.json",
                "silver/mortgages/transactions/year=2024/month=01/schema_v=v1/run_id=" + run + "/_SUCCESS",
                "silver/mortgages/transactions/year=2024/month=02/schema_v=v1/run_id=" + run + "/_SUCCESS",
                "silver/_runs/mortgages/transactions/run_id=" + run + "/run-validated.json",
                "reference/currencies/iso4217_allow_list.json",
                "reference/transaction-types/transaction_types.json");
        assertThat(files).anyMatch(f -> f.matches("quarantine/mortgages/transactions/ingest_date=\\d{4}-\\d{2}-\\d{2}/run_id="
                + run + "/invalid_rows.parquet"));
        assertThat(files).anyMatch(f -> f.matches("quarantine/mortgages/transactions/condemned/ingest_date=\\d{4}-\\d{2}-\\d{2}/run_id="
                + run + "/condemned_rows.parquet"));
        assertThat(files).anyMatch(f -> f.startsWith("bronze/mortgages/transactions/") && f.endsWith("/transactions.csv"));
    }

    @Test
    void aRejectedFileExitsWithOneAndNamesTheFault() throws Exception {
        Result result = validate("TransactionID;CustomerID;TransactionAmount;Currency;TransactionTimestamp\nT1;C1;1.00;EUR;2024-01-01T00:00:00Z\n");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.summary().get("outcome").asText()).isEqualTo("FILE_REJECTED");
        assertThat(result.summary().get("file_rejection").get("code").asText()).isEqualTo("WRONG_DELIMITER");
        assertThat(result.summary().get("rows_read").asLong()).isZero();
        assertThat(filesUnderOut()).anyMatch(f -> f.endsWith("/file_rejection.json"));
    }
}
