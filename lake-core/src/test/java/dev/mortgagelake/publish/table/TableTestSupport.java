package dev.mortgagelake.publish.table;

import dev.mortgagelake.storage.ObjectStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Shared fixtures of the table tests: a table, fast policies, one-file appends. */
final class TableTestSupport {

    static final TableLocation TABLE = new TableLocation("lake-silver", "silver/mortgages/transactions/_table/schema_v=v1/");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-21T12:00:00Z"), ZoneOffset.UTC);
    static final CommitPolicy FAST = new CommitPolicy(10, Duration.ofMillis(1), Duration.ofMillis(20), 3);

    private TableTestSupport() {
    }

    static TableCommitter committer(ObjectStore store, CommitPolicy policy) {
        return new TableCommitter(store, new TableVersionLog(store, TABLE), policy, CLOCK);
    }

    static TableCommitter committer(ObjectStore store) {
        return committer(store, FAST);
    }

    static LatestPointerWriter pointer(ObjectStore store) {
        return new LatestPointerWriter(store, new TableVersionLog(store, TABLE), "v1", "silver/mortgages/transactions/", CLOCK);
    }

    /** A change adding one 10-row file of {@code runId} to partition {@code month}. */
    static AppendFiles append(String runId, String month) {
        String key = "silver/mortgages/transactions/year=" + month.substring(0, 4) + "/month=" + month.substring(5)
                + "/schema_v=v1/run_id=" + runId + "/part-00000.parquet";
        return new AppendFiles(runId, Map.of(month, List.of(new DataFile(key, runId, 10, 100, sha256(key)))));
    }

    static AppendFiles append(String runId) {
        return append(runId, "2026-01");
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every run id of every file of {@code snapshot}. */
    static List<String> runsIn(TableSnapshot snapshot) {
        return snapshot.partitions().values().stream().flatMap(List::stream).map(DataFile::runId).sorted().toList();
    }

    /** The store's directory holds no temporary objects (every write completed or was cleaned up). */
    static void assertNoTemporaryObjects(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList()).isEmpty();
        }
    }

    /** Keys of every object under the table root, relative to it. */
    static List<String> tableObjects(ObjectStore store) {
        return store.list(TABLE.bucket(), TABLE.root()).stream()
                .map(o -> o.location().key().substring(TABLE.root().length())).toList();
    }
}
