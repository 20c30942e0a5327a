package dev.mortgagelake.validation;

import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.InvalidEventException;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectNotFoundException;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.storage.StoredObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.mortgagelake.validation.RunValidatorTest.LINES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A validation interrupted at any write, repeated or run twice at once ends with the same lake. */
class RecoveryTest {

    /** Writes of an uninterrupted run of {@link RunValidatorTest#LINES}: 3 parts, quarantine, 3 manifests, 3 markers, record. */
    private static final int WRITES = 17;

    @TempDir
    Path tempDir;

    private static byte[] file() {
        return RunValidatorTest.Encoding.PLAIN_LF_NAMED_GZ.encode(LINES);
    }

    /** Key to SHA-256 of every output object of the first run of a fresh lake. */
    private Map<String, String> referenceLake() {
        TestLake reference = new TestLake(tempDir.resolve("reference"));
        RunValidated result = reference.validator().validate(reference.land("t.csv", file()));
        assertThat(result.outcome()).isEqualTo(RunValidated.OUTCOME_VALIDATED);
        return contents(reference);
    }

    private static Map<String, String> contents(TestLake lake) {
        Map<String, String> contents = new TreeMap<>();
        for (StoredObject object : lake.store.list(TestLake.BUCKET, "")) {
            if (!object.location().key().startsWith("bronze/")) {
                contents.put(object.location().key(), TestLake.sha256(lake.store.read(object.location())));
            }
        }
        return contents;
    }

    @Test
    void anUninterruptedRunWritesDataThenManifestsThenMarkersThenTheRecord() {
        TestLake lake = new TestLake(tempDir.resolve("lake"));
        FailingObjectStore recording = new FailingObjectStore(lake.store, Integer.MAX_VALUE);
        lake.validator(recording, ValidationConfig.DEFAULT).validate(lake.land("t.csv", file()));

        List<String> kinds = recording.writtenKeys.stream().map(key -> key.substring(key.lastIndexOf('/') + 1))
                .map(name -> name.endsWith(".idx") ? "index shard" : name).toList();
        // Phases in order; inside a phase the objects are independent and uploaded concurrently.
        assertThat(kinds.subList(0, 10)).containsExactlyInAnyOrder("part-00000.parquet", "part-00000.parquet", "part-00000.parquet",
                "invalid_rows.parquet", "index shard", "index shard", "index shard", "index shard", "index shard", "index shard");
        assertThat(kinds.subList(10, 17)).containsExactly("manifest.json", "manifest.json", "manifest.json",
                "_SUCCESS", "_SUCCESS", "_SUCCESS", "run-validated.json");
        assertThat(recording.writtenKeys).hasSize(WRITES);
    }

    @ParameterizedTest(name = "crash at write {0}")
    @ValueSource(ints = {1, 4, 5, 8, 11, 12, 15, 17})
    void aCrashAtAnyWriteIsCompletedByTheNextAttempt(int failAt) {
        Map<String, String> expected = referenceLake();
        TestLake lake = new TestLake(tempDir.resolve("lake"));
        FileLanded landed = lake.land("t.csv", file());

        assertThatThrownBy(() -> lake.validator(new FailingObjectStore(lake.store, failAt), ValidationConfig.DEFAULT).validate(landed))
                .isInstanceOf(StorageException.class).hasMessageContaining("Injected failure");
        assertThat(lake.store.head(lake.layout.validationRecord(RunId.of(landed.runId())))).isEmpty();

        RunValidated result = lake.validator().validate(landed);

        assertThat(result.counts()).isEqualTo(new RunValidated.Counts(20, 6, 14, 0));
        assertThat(contents(lake)).isEqualTo(expected);
        assertThat(lake.workDirIsEmpty()).isTrue();
    }

    @Test
    void uncommittedLeftoversWithOtherBytesAreReplaced() {
        Map<String, String> expected = referenceLake();
        TestLake lake = new TestLake(tempDir.resolve("lake"));
        FileLanded landed = lake.land("t.csv", file());
        RunId runId = RunId.of(landed.runId());
        lake.store.create(lake.layout.silverPart(YearMonth.of(2024, 2), "v1", runId, 0), "stale".getBytes(), "x");
        lake.store.create(lake.layout.silverManifest(YearMonth.of(2024, 2), "v1", runId), "{}".getBytes(), "x");
        lake.store.create(lake.layout.invalidRows(TestLake.INGEST_DATE, runId), "stale".getBytes(), "x");

        lake.validator().validate(landed);

        assertThat(contents(lake)).isEqualTo(expected);
    }

    @Test
    void committedOutputWithOtherBytesIsAConflictNotAnOverwrite() {
        TestLake lake = new TestLake(tempDir.resolve("lake"));
        FileLanded landed = lake.land("t.csv", file());
        RunId runId = RunId.of(landed.runId());
        Location part = lake.layout.silverPart(YearMonth.of(2024, 2), "v1", runId, 0);
        lake.store.create(part, "committed elsewhere".getBytes(), "x");
        lake.store.create(lake.layout.silverSuccess(YearMonth.of(2024, 2), "v1", runId), new byte[0], "x");

        assertThatThrownBy(() -> lake.validator().validate(landed))
                .isInstanceOf(RunConflictException.class)
                .hasMessageContaining(part.toString())
                .satisfies(e -> assertThat(((StorageException) e).retryable()).isFalse());
        assertThat(new String(lake.store.read(part))).isEqualTo("committed elsewhere");
        assertThat(lake.store.head(lake.layout.validationRecord(runId))).isEmpty();
    }

    @Test
    void twoConcurrentValidationsOfTheSameRunAgree() throws Exception {
        Map<String, String> expected = referenceLake();
        TestLake lake = new TestLake(tempDir.resolve("lake"));
        FileLanded landed = lake.land("t.csv", file());
        Callable<RunValidated> validate = () -> lake.validator().validate(landed);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<RunValidated> first = pool.submit(validate);
            Future<RunValidated> second = pool.submit(validate);
            assertThat(first.get()).isEqualTo(second.get());
        } finally {
            pool.shutdownNow();
        }
        assertThat(contents(lake)).isEqualTo(expected);
        assertThat(lake.workDirIsEmpty()).isTrue();
    }

    @Test
    void malformedEventsAreRejectedBeforeAnyWork() {
        TestLake lake = new TestLake(tempDir.resolve("lake"));
        FileLanded landed = lake.land("t.csv", file());
        FileLanded v2 = new FileLanded(landed.runId(), landed.dataset(), "v2", landed.runKind(), landed.ingestDate(), landed.source(),
                landed.bronze(), landed.sha256(), landed.sizeBytes(), landed.landedAt(), landed.supersedes());
        FileLanded badRunId = new FileLanded("not-a-run", landed.dataset(), "v1", landed.runKind(), landed.ingestDate(),
                landed.source(), landed.bronze(), landed.sha256(), landed.sizeBytes(), landed.landedAt(), landed.supersedes());
        FileLanded noBronze = new FileLanded(landed.runId(), landed.dataset(), "v1", landed.runKind(), landed.ingestDate(),
                landed.source(), null, landed.sha256(), landed.sizeBytes(), landed.landedAt(), landed.supersedes());

        assertThatThrownBy(() -> lake.validator().validate(v2)).isInstanceOf(InvalidEventException.class).hasMessageContaining("'v2'");
        assertThatThrownBy(() -> lake.validator().validate(badRunId)).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> lake.validator().validate(noBronze)).isInstanceOf(InvalidEventException.class);
        assertThat(contents(lake)).isEmpty();
    }

    @Test
    void aMissingBronzeObjectIsAStorageFailure() {
        TestLake lake = new TestLake(tempDir.resolve("lake"));
        FileLanded landed = lake.land("t.csv", file());
        FileLanded elsewhere = new FileLanded(landed.runId(), landed.dataset(), "v1", landed.runKind(), landed.ingestDate(),
                landed.source(), landed.bronze().sibling("gone.csv"), landed.sha256(), landed.sizeBytes(), landed.landedAt(),
                landed.supersedes());

        assertThatThrownBy(() -> lake.validator().validate(elsewhere)).isInstanceOf(ObjectNotFoundException.class);
        assertThat(contents(lake)).isEmpty();
        assertThat(lake.workDirIsEmpty()).isTrue();
    }
}
