package dev.mortgagelake.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.storage.Location;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionManifestTest {

    private static final PartitionManifest.FileEntry PART =
            new PartitionManifest.FileEntry("silver/mortgages/transactions/year=2024/month=01/schema_v=v1/run_id=R/part-00000.parquet",
                    1234, "ab".repeat(32), 2);
    private static final PartitionManifest.Input INPUT =
            new PartitionManifest.Input(new Location("lake", "bronze/mortgages/transactions/x.csv"), "cd".repeat(32), 456);

    private static PartitionManifest manifest(long rows, RunValidated.Counts totals, Instant createdAt) {
        return new PartitionManifest(1, "mortgages/transactions", "20260121T120000000Z-0000abcd", "INGEST", "v1", "2024-01", rows,
                List.of(PART), INPUT, totals, createdAt);
    }

    @Test
    void jsonHasTheDocumentedShapeAndRoundTrips() throws Exception {
        PartitionManifest manifest = manifest(2, new RunValidated.Counts(10, 8, 2, 0), Instant.parse("2026-01-21T12:00:05Z"));
        byte[] json = manifest.toJson();
        JsonNode tree = EventCodec.mapper().readTree(json);

        assertThat(tree.fieldNames()).toIterable().containsExactly("manifest_version", "dataset", "run_id", "run_kind",
                "schema_version", "year_month", "rows", "files", "input", "run_totals", "created_at");
        assertThat(tree.get("files").get(0).fieldNames()).toIterable().containsExactly("key", "size_bytes", "sha256", "rows");
        assertThat(tree.get("input").get("bronze").get("key").asText()).isEqualTo("bronze/mortgages/transactions/x.csv");
        assertThat(tree.get("run_totals").get("rows_read").asLong()).isEqualTo(10);
        assertThat(tree.get("created_at").asText()).isEqualTo("2026-01-21T12:00:05Z");
        assertThat(PartitionManifest.fromJson(json)).isEqualTo(manifest);
    }

    @Test
    void sameContentIgnoresOnlyTheCreationTime() {
        RunValidated.Counts totals = new RunValidated.Counts(10, 8, 2, 0);
        PartitionManifest first = manifest(2, totals, Instant.parse("2026-01-21T12:00:05Z"));

        assertThat(first.sameContentAs(manifest(2, totals, Instant.parse("2026-01-22T00:00:00Z")))).isTrue();
        assertThat(first.sameContentAs(manifest(2, new RunValidated.Counts(11, 9, 2, 0), first.createdAt()))).isFalse();
        assertThat(first.sameContentAs(null)).isFalse();
    }

    @Test
    void inconsistentManifestsCannotBeBuiltOrParsed() {
        Instant now = Instant.parse("2026-01-21T12:00:05Z");
        assertThatThrownBy(() -> manifest(3, new RunValidated.Counts(10, 8, 2, 0), now))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sum of its files' rows 2");
        assertThatThrownBy(() -> manifest(2, new RunValidated.Counts(10, 8, 1, 0), now))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not balance");
        assertThatThrownBy(() -> manifest(2, new RunValidated.Counts(2, 1, 1, 0), now))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alone holds 2");

        String tampered = new String(manifest(2, new RunValidated.Counts(10, 8, 2, 0), now).toJson(), StandardCharsets.UTF_8)
                .replace("\"rows\" : 2,\n  \"files\"", "\"rows\" : 5,\n  \"files\"");
        assertThatThrownBy(() -> PartitionManifest.fromJson(tampered.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Not a valid partition manifest");
    }
}
