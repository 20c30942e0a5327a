package dev.mortgagelake.publish.table;

import dev.mortgagelake.storage.FileSystemObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.mortgagelake.publish.table.TableTestSupport.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplacePartitionsTest {

    private static final SnapshotSource SILVER_V3 = new SnapshotSource("lake-silver", "silver/mortgages/transactions/_table/schema_v=v1/", 3);

    @TempDir
    Path dir;

    private static DataFile file(String runId, String month) {
        String key = "gold/finance/account_balances/schema_v=v1/run_id=" + runId + "/as_of_month=" + month + "/part-00000.parquet";
        return new DataFile(key, runId, 5, 50, sha256(key));
    }

    private static Map<String, List<DataFile>> files(String runId, String... months) {
        java.util.TreeMap<String, List<DataFile>> files = new java.util.TreeMap<>();
        for (String month : months) {
            files.put(month, List.of(file(runId, month)));
        }
        return files;
    }

    @Test
    void replacesAndRemovesNamedPartitionsKeepsTheOthersAndRecordsTheSource() {
        TableCommitter committer = TableTestSupport.committer(new FileSystemObjectStore(dir));
        committer.commit(new ReplacePartitions("r1", 0, null, files("r1", "2024-01", "2024-02", "2024-03"), Set.of()));

        CommitResult result = committer.commit(new ReplacePartitions("r2", 1, SILVER_V3, files("r2", "2024-02"), Set.of("2024-03")));

        TableSnapshot snapshot = committer.log().read(result.version());
        assertThat(snapshot.operation()).isEqualTo(TableOperation.REPLACE_PARTITIONS);
        assertThat(snapshot.partitions()).containsOnlyKeys("2024-01", "2024-02");
        assertThat(snapshot.partitions().get("2024-01")).containsExactly(file("r1", "2024-01"));
        assertThat(snapshot.partitions().get("2024-02")).containsExactly(file("r2", "2024-02"));
        assertThat(snapshot.source()).isEqualTo(SILVER_V3);
        assertThat(snapshot.summary().changedPartitions()).containsExactly("2024-02", "2024-03");
        // a snapshot without a source stores no "source" field at all (Silver documents are unchanged)
        assertThat(new String(new FileSystemObjectStore(dir).read(committer.table().version(1)))).doesNotContain("source");
    }

    @Test
    void isIdempotentPerRunNeverMovesToAnOlderSourceAndRefusesAStaleBase() {
        TableCommitter committer = TableTestSupport.committer(new FileSystemObjectStore(dir));
        ReplacePartitions first = new ReplacePartitions("r1", 0, SILVER_V3, files("r1", "2024-01"), Set.of());
        committer.commit(first);

        assertThat(committer.commit(first).committed()).isFalse();
        SnapshotSource older = new SnapshotSource(SILVER_V3.bucket(), SILVER_V3.root(), 2);
        assertThat(committer.commit(new ReplacePartitions("r0", 0, older, files("r0", "2024-01"), Set.of())).committed()).isFalse();
        SnapshotSource newer = new SnapshotSource(SILVER_V3.bucket(), SILVER_V3.root(), 4);
        assertThatThrownBy(() -> committer.commit(new ReplacePartitions("r2", 0, newer, files("r2", "2024-01"), Set.of())))
                .isInstanceOf(StaleBaseException.class)
                .hasMessageContaining("computed on table version 0 but the table is at version 1");
        assertThat(committer.log().latestVersion()).isEqualTo(1);
    }

    @Test
    void rejectsFilesOfAnotherRunAndPartitionsBothReplacedAndRemoved() {
        assertThatThrownBy(() -> new ReplacePartitions("r1", 0, null, files("r2", "2024-01"), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("belongs to run r2");
        assertThatThrownBy(() -> new ReplacePartitions("r1", 0, null, files("r1", "2024-01"), Set.of("2024-01")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both replaced and removed");
    }
}
