package dev.mortgagelake.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortgagelake.local.chaos.ChaosRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short {@code ./lake chaos}: 12 files, 20 SIGKILLs of random services, 2% of the services' S3
 * requests failing, 10% of deliveries duplicated, seed 7. Every invariant of the audit must hold with
 * 0 violations (the 200-kill run and its figures: docs/RELIABILITY.md).
 */
class ChaosSystemTest {

    @TempDir
    static Path work;

    @Test
    void twentyKillsWithS3FaultsAndDuplicatedDeliveriesLeaveEveryInvariantIntact() throws Exception {
        Path root = Path.of(System.getProperty("lake.project.root", "..")).toAbsolutePath().normalize();
        ObjectNode summary = new ChaosRun(root, work.resolve("chaos"),
                new ChaosRun.Options(12, 20, 7, 0.02, 0.1, Duration.ofMinutes(15))).run();
        System.err.println(summary.toPrettyString());

        assertThat(summary.path("kills").path("total").asInt()).isEqualTo(20);
        assertThat(summary.path("s3_faults").path("total").asLong()).as("S3 faults injected").isPositive();
        assertThat(summary.path("duplicate_deliveries").path("total").asLong()).as("duplicated deliveries").isPositive();
        List<String> broken = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (JsonNode invariant : summary.path("invariants")) {
            names.add(invariant.path("name").asText());
            if (invariant.path("violations").asLong() != 0) {
                broken.add(invariant.toString());
            }
        }
        assertThat(names).containsExactly("lake_quiet", "rows_conserved", "silver_transaction_ids_unique", "silver_none_lost",
                "snapshots_complete", "latest_names_newest", "current_equals_latest", "iceberg_follows", "gold_equals_recomputation",
                "dead_letters_explained");
        assertThat(broken).as("invariants with violations").isEmpty();
        assertThat(summary.path("ok").asBoolean()).isTrue();
    }
}
