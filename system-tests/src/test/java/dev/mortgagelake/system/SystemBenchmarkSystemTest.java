package dev.mortgagelake.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortgagelake.local.SystemBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code ./lake bench --system} runnable (it measures nothing here: timing is the benchmark's
 * business, not a test's): on a few tiny files, every phase runs on the real services, reports the
 * figures in the documented shape, and every landed file ends in the Silver table exactly once, also
 * with two instances of validation-service and publish-service competing for the same queues.
 */
class SystemBenchmarkSystemTest {

    @TempDir
    Path work;

    @Test
    void everyPhaseReportsItsFiguresAndEveryFileIsPromotedExactlyOnce() throws Exception {
        Path root = Path.of(System.getProperty("lake.project.root", "..")).toAbsolutePath().normalize();
        SystemBenchmark.Options options = new SystemBenchmark.Options(1, 3, 200, Duration.ofSeconds(3), 2_000, 1, 2, true, 7,
                Duration.ofMinutes(3));

        JsonNode result = new SystemBenchmark(root, work, options).run();

        assertThat(SystemBenchmark.passed(result)).as(result.toPrettyString()).isTrue();
        JsonNode latency = result.path("latency");
        assertThat(latency.path("promoted").asInt()).isEqualTo(3);
        assertThat(latency.path("failed").asInt()).isZero();
        for (String figure : List.of("to_run_promoted_ms", "to_run_promoted_received_ms", "to_gold_latest_ms")) {
            assertPercentiles(latency.path(figure));
        }
        for (String stage : List.of("ingest", "validation", "promotion", "gold", "run_promoted")) {
            assertPercentiles(latency.path("stages_ms").path(stage));
        }
        // the stages add up to the whole way (one clock: every timestamp comes from this machine)
        assertThat(latency.path("to_run_promoted_ms").path("max").asLong())
                .isGreaterThanOrEqualTo(latency.path("to_gold_latest_ms").path("max").asLong());
        assertExactlyOnce(latency.path("exactly_once"), 1 + 3);

        JsonNode one = result.path("throughput");
        JsonNode two = result.path("scale_out");
        assertThat(one.path("instances").path("validation-service").asInt()).isEqualTo(1);
        assertThat(two.path("instances").path("validation-service").asInt()).isEqualTo(2);
        assertThat(two.path("instances").path("publish-service").asInt()).isEqualTo(2);
        for (JsonNode phase : List.of(one, two)) {
            assertThat(phase.path("files_landed").asInt()).isPositive();
            assertThat(phase.path("files_promoted").asInt()).isEqualTo(phase.path("files_landed").asInt());
            assertThat(phase.path("rows_promoted").asLong()).isEqualTo(phase.path("files_promoted").asLong() * 2_000);
            assertThat(phase.path("rows_per_minute").asLong()).isPositive();
            assertThat(phase.path("queue_depth").isArray()).isTrue();
            assertThat(phase.path("queue_depth").size()).isPositive();
            assertThat(phase.path("queue_depth").get(0).has("file_landed")).isTrue();
            assertThat(phase.path("commit_lost_races").has("silver")).isTrue();
            assertThat(phase.path("commit_lost_races").has("gold")).isTrue();
            assertExactlyOnce(phase.path("exactly_once"), 1 + phase.path("files_landed").asInt());
        }
        // the CPU split names every instance that ran
        assertThat(two.path("cpu_seconds").has("validation-service-2")).isTrue();
        assertThat(two.path("cpu_seconds").has("publish-service-2")).isTrue();
        assertThat(two.has("rows_per_minute_vs_one_instance")).isTrue();
    }

    private static void assertPercentiles(JsonNode node) {
        assertThat(node.path("p50").asLong()).isLessThanOrEqualTo(node.path("p95").asLong());
        assertThat(node.path("p95").asLong()).isLessThanOrEqualTo(node.path("p99").asLong());
        assertThat(node.path("p99").asLong()).isLessThanOrEqualTo(node.path("max").asLong());
        assertThat(node.has("mean")).isTrue();
    }

    private static void assertExactlyOnce(JsonNode check, int files) {
        assertThat(check.path("ok").asBoolean()).as(check.toPrettyString()).isTrue();
        assertThat(check.path("files").asInt()).isEqualTo(files);
        assertThat(check.path("runs_in_silver").asInt()).isEqualTo(files);
        assertThat(check.path("run_promoted_events").asInt()).isEqualTo(files);
        assertThat(check.path("missing").size()).isZero();
        assertThat(check.path("unexpected_runs").size()).isZero();
    }
}
