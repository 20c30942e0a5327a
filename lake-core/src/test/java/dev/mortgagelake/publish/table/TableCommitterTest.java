package dev.mortgagelake.publish.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.storage.FaultInjectingObjectStore;
import dev.mortgagelake.storage.FaultInjectingObjectStore.Call;
import dev.mortgagelake.storage.FileSystemObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static dev.mortgagelake.publish.table.TableTestSupport.TABLE;
import static dev.mortgagelake.publish.table.TableTestSupport.append;
import static dev.mortgagelake.publish.table.TableTestSupport.committer;
import static dev.mortgagelake.publish.table.TableTestSupport.runsIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableCommitterTest {

    private static final Predicate<String> VERSION_KEYS = key -> key.startsWith(TABLE.versionsPrefix());
    private static final Predicate<String> FIRST_VERSION = key -> key.equals(TABLE.version(1).key());

    @TempDir
    Path dir;

    private FileSystemObjectStore disk;
    private FaultInjectingObjectStore store;
    private TableVersionLog log;

    @BeforeEach
    void setUp() {
        disk = new FileSystemObjectStore(dir);
        store = new FaultInjectingObjectStore(disk);
        log = new TableVersionLog(disk, TABLE);
    }

    @AfterEach
    void noTemporaryObjectsLeft() throws Exception {
        TableTestSupport.assertNoTemporaryObjects(dir);
    }

    @Test
    void commitsWholeStateSnapshotsAsContiguousImmutableVersions() throws Exception {
        TableCommitter committer = committer(store);

        CommitResult first = committer.commit(append("run-a", "2026-01"));
        CommitResult second = committer.commit(append("run-b", "2026-02"));

        assertThat(first.committed()).isTrue();
        assertThat(first.version()).isEqualTo(1);
        assertThat(first.snapshot().parentVersion()).isNull();
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.snapshot().parentVersion()).isEqualTo(1);
        assertThat(second.snapshot().partitions()).containsOnlyKeys("2026-01", "2026-02");
        assertThat(second.snapshot().summary().totalRows()).isEqualTo(20);
        assertThat(second.snapshot().summary().addedFiles()).isEqualTo(1);
        assertThat(second.snapshot().summary().changedPartitions()).containsExactly("2026-02");
        assertThat(log.versions()).containsExactly(1L, 2L);
        assertThat(log.read(2)).isEqualTo(second.snapshot());
        assertThat(log.history()).extracting(HistoryEntry::runIds).containsExactly(List.of("run-a"), List.of("run-b"));

        JsonNode stored = EventCodec.mapper().readTree(disk.read(TABLE.version(2)));
        assertThat(stored.fieldNames()).toIterable().containsExactly("format_version", "version", "parent_version",
                "committed_at", "commit_id", "operation", "run_ids", "summary", "partitions", "retired_run_ids", "properties");
        assertThat(stored.path("committed_at").asText()).isEqualTo("2026-01-21T12:00:00Z");
        assertThat(stored.path("partitions").path("2026-01").get(0).fieldNames()).toIterable()
                .containsExactly("key", "run_id", "rows", "size_bytes", "sha256");
        assertThat(TABLE.version(2).key()).endsWith("_versions/v00000000000000000002.json");
    }

    @Test
    void aChangeAlreadyReflectedWritesNothing() {
        TableCommitter committer = committer(store);
        committer.commit(append("run-a"));

        CommitResult again = committer.commit(append("run-a"));

        assertThat(again.committed()).isFalse();
        assertThat(again.version()).isEqualTo(1);
        assertThat(again.attempts()).isZero();
        assertThat(store.calls(Call.CREATE)).isEqualTo(1);
        assertThat(log.versions()).containsExactly(1L);
    }

    @Test
    void versionAlreadyExistsIsALostRaceRetriedOnAFreshBase() {
        store.beforeCall(Call.CREATE, FIRST_VERSION, 1, () -> committer(disk).commit(append("run-b")));

        CommitResult result = committer(store).commit(append("run-a"));

        assertThat(result.committed()).isTrue();
        assertThat(result.version()).isEqualTo(2);
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(result.snapshot().parentVersion()).isEqualTo(1);
        assertThat(runsIn(log.read(1))).containsExactly("run-b");
        assertThat(runsIn(log.read(2))).containsExactly("run-a", "run-b");
        assertThat(log.versions()).containsExactly(1L, 2L);
    }

    @Test
    void staleBaseIsNeverCommittedOn() {
        TableCommitter ours = committer(store);
        ours.commit(append("run-a"));
        TableCommitter other = committer(disk);
        other.commit(append("run-b"));
        other.commit(append("run-c"));
        // Our instance last saw version 1; while it builds on version 3, another writer takes version 4.
        store.beforeCall(Call.CREATE, key -> key.equals(TABLE.version(4).key()), 1, () -> other.commit(append("run-d")));

        CommitResult result = ours.commit(append("run-e"));

        assertThat(result.version()).isEqualTo(5);
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(runsIn(result.snapshot())).containsExactly("run-a", "run-b", "run-c", "run-d", "run-e");
        assertThat(log.versions()).containsExactly(1L, 2L, 3L, 4L, 5L);
        for (long version = 2; version <= 5; version++) {
            assertThat(log.read(version).parentVersion()).isEqualTo(version - 1);
        }
    }

    @Test
    void losingEveryRaceFailsTheCommitWithoutWritingIt() {
        CommitPolicy threeAttempts = new CommitPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), 3);
        TableCommitter other = committer(disk);
        int[] competitor = {0};
        store.beforeCall(Call.CREATE, VERSION_KEYS, 3, () -> other.commit(append("other-" + competitor[0]++)));

        assertThatThrownBy(() -> committer(store, threeAttempts).commit(append("run-a")))
                .isInstanceOf(CommitFailedException.class)
                .hasMessageStartingWith("Cannot publish to s3://lake-silver/silver/mortgages/transactions/_table/schema_v=v1/")
                .hasMessageContaining("gave up after 3 attempts");
        assertThat(log.versions()).containsExactly(1L, 2L, 3L);
        assertThat(log.current().containsRun("run-a")).isFalse();
    }

    @Test
    void unknownOutcomeAfterTheCreateLandedIsResolvedByReadingBack() throws Exception {
        store.failAfter(Call.CREATE, VERSION_KEYS, true, 1);

        CommitResult result = committer(store).commit(append("run-a"));

        assertThat(result.committed()).isTrue();
        assertThat(result.version()).isEqualTo(1);
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(store.calls(Call.CREATE)).isEqualTo(1);
        assertThat(log.versions()).containsExactly(1L);
        JsonNode stored = EventCodec.mapper().readTree(disk.read(TABLE.version(1)));
        assertThat(stored.path("commit_id").asText()).isEqualTo(result.snapshot().commitId());
    }

    @Test
    void createThatTimedOutAndLandedLateIsRecognisedAsOurs() {
        store.failAndLandLater(Call.CREATE, VERSION_KEYS, true);

        CommitResult result = committer(store).commit(append("run-a"));

        assertThat(result.committed()).isTrue();
        assertThat(result.version()).isEqualTo(1);
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(log.versions()).containsExactly(1L);
    }

    @Test
    void retryableFailureBeforeTheCreateIsRetried() {
        store.failBefore(Call.CREATE, VERSION_KEYS, true, 1);

        CommitResult result = committer(store).commit(append("run-a"));

        assertThat(result.version()).isEqualTo(1);
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(log.versions()).containsExactly(1L);
    }

    @Test
    void unresolvableOutcomeIsReportedAsUnknownAndNothingIsDeleted() {
        store.failAfter(Call.CREATE, VERSION_KEYS, true, 1);
        store.failBefore(Call.READ, FIRST_VERSION, true, 3);

        assertThatThrownBy(() -> committer(store).commit(append("run-a")))
                .isInstanceOf(CommitStateUnknownException.class)
                .hasMessageStartingWith("Cannot publish to ")
                .hasMessageContaining("outcome of creating version 1")
                .hasMessageContaining("nothing was deleted");
        assertThat(log.versions()).containsExactly(1L);
        assertThat(runsIn(log.read(1))).containsExactly("run-a");
    }

    @Test
    void retryableFailuresUntilTheLastAttemptLeaveTheOutcomeUnknown() {
        CommitPolicy twoAttempts = new CommitPolicy(2, Duration.ofMillis(1), Duration.ofMillis(5), 3);
        store.failBefore(Call.CREATE, VERSION_KEYS, true, 2);

        assertThatThrownBy(() -> committer(store, twoAttempts).commit(append("run-a")))
                .isInstanceOf(CommitStateUnknownException.class)
                .hasMessageContaining("may still land");
        assertThat(log.versions()).isEmpty();
    }

    @Test
    void permanentFailureOfTheCreateFailsTheCommit() {
        store.failBefore(Call.CREATE, VERSION_KEYS, false, 1);

        assertThatThrownBy(() -> committer(store).commit(append("run-a")))
                .isInstanceOf(CommitFailedException.class)
                .hasMessageContaining("failed permanently");
        assertThat(store.calls(Call.CREATE)).isEqualTo(1);
        assertThat(log.versions()).isEmpty();
    }

    @Test
    void sixteenConcurrentCommittersMakeExactlySixteenContiguousVersions() throws Exception {
        int writers = 16;
        CommitPolicy contended = new CommitPolicy(64, Duration.ofMillis(1), Duration.ofMillis(20), 3);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        for (int i = 0; i < writers; i++) {
            String runId = String.format("run-%02d", i);
            String month = "2026-0" + (1 + i % 3);
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    // Each writer is its own instance, as separate service replicas would be.
                    committer(disk, contended).commit(append(runId, month));
                    TableTestSupport.pointer(disk).refresh();
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join(30_000);
        }

        assertThat(errors).isEmpty();
        assertThat(log.versions()).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, writers).boxed().toList());
        List<String> added = new ArrayList<>();
        TableSnapshot previous = TableSnapshot.empty();
        for (long version = 1; version <= writers; version++) {
            TableSnapshot snapshot = log.read(version);
            assertThat(snapshot.parentVersion()).isEqualTo(version == 1 ? null : version - 1);
            assertThat(snapshot.runIds()).hasSize(1);
            assertThat(runsIn(snapshot)).hasSize((int) version).containsAll(runsIn(previous));
            added.addAll(snapshot.runIds());
            previous = snapshot;
        }
        assertThat(added).doesNotHaveDuplicates().hasSize(writers);
        assertThat(runsIn(previous)).containsExactlyInAnyOrderElementsOf(added);

        Optional<LatestPointer> pointer = TableTestSupport.pointer(disk).read();
        assertThat(pointer).isPresent();
        assertThat(pointer.get().tableVersion()).isEqualTo(writers);
        assertThat(pointer.get().snapshot()).isEqualTo(TABLE.version(writers).key());
        assertThat(TableTestSupport.tableObjects(disk)).hasSize(writers + 1).contains("_LATEST.json");
    }
}
