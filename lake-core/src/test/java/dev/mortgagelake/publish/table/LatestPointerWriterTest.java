package dev.mortgagelake.publish.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.storage.FaultInjectingObjectStore;
import dev.mortgagelake.storage.FaultInjectingObjectStore.Call;
import dev.mortgagelake.storage.FileSystemObjectStore;
import dev.mortgagelake.storage.StorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static dev.mortgagelake.publish.table.TableTestSupport.TABLE;
import static dev.mortgagelake.publish.table.TableTestSupport.append;
import static dev.mortgagelake.publish.table.TableTestSupport.committer;
import static dev.mortgagelake.publish.table.TableTestSupport.pointer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LatestPointerWriterTest {

    @TempDir
    Path dir;

    private FileSystemObjectStore disk;
    private FaultInjectingObjectStore store;

    @BeforeEach
    void setUp() {
        disk = new FileSystemObjectStore(dir);
        store = new FaultInjectingObjectStore(disk);
    }

    @AfterEach
    void noTemporaryObjectsLeft() throws Exception {
        TableTestSupport.assertNoTemporaryObjects(dir);
    }

    @Test
    void anEmptyTableHasNoPointer() {
        assertThat(pointer(store).refresh()).isEmpty();
        assertThat(store.calls(Call.REPLACE)).isZero();
    }

    @Test
    void pointerNamesTheNewestVersionWithTheSeedFields() throws Exception {
        committer(disk).commit(append("run-a"));
        committer(disk).commit(append("run-b"));

        LatestPointer latest = pointer(store).refresh().orElseThrow();

        assertThat(latest.tableVersion()).isEqualTo(2);
        assertThat(latest.runId()).isEqualTo("run-b");
        assertThat(latest.snapshot()).isEqualTo(TABLE.version(2).key());
        JsonNode stored = EventCodec.mapper().readTree(disk.read(TABLE.latestPointer()));
        assertThat(stored.fieldNames()).toIterable().containsExactly("run_id", "schema_version", "published_at",
                "partition_path", "table_version", "snapshot", "table_root");
        assertThat(stored.path("schema_version").asText()).isEqualTo("v1");
        assertThat(stored.path("partition_path").asText()).isEqualTo("silver/mortgages/transactions/");
        assertThat(stored.path("table_root").asText()).isEqualTo(TABLE.root());
        assertThat(TABLE.latestPointer().key()).isEqualTo("silver/mortgages/transactions/_table/schema_v=v1/_LATEST.json");

        assertThat(pointer(store).refresh()).contains(latest);
        assertThat(store.calls(Call.REPLACE)).isEqualTo(1);
    }

    @Test
    void aPointerLeftBehindIsMovedForward() {
        committer(disk).commit(append("run-a"));
        pointer(disk).refresh();
        committer(disk).commit(append("run-b"));
        assertThat(pointer(disk).read().orElseThrow().tableVersion()).isEqualTo(1);

        assertThat(pointer(store).refresh().orElseThrow().tableVersion()).isEqualTo(2);
    }

    @Test
    void aStaleWriteRacingANewerCommitIsCorrectedByTheRecheck() {
        committer(disk).commit(append("run-a"));
        // Between finding version 1 and writing its pointer, another publisher commits version 2.
        store.beforeCall(Call.REPLACE, key -> key.equals(TABLE.latestPointer().key()), 1,
                () -> committer(disk).commit(append("run-b")));

        LatestPointer latest = pointer(store).refresh().orElseThrow();

        assertThat(latest.tableVersion()).isEqualTo(2);
        assertThat(store.calls(Call.REPLACE)).isEqualTo(2);
        assertThat(pointer(disk).read().orElseThrow().tableVersion()).isEqualTo(2);
    }

    @Test
    void anUnreadablePointerIsReportedToReadersAndRepairedByRefresh() {
        committer(disk).commit(append("run-a"));
        disk.replace(TABLE.latestPointer(), "{not json".getBytes(StandardCharsets.UTF_8), "application/json");

        assertThatThrownBy(() -> pointer(disk).read()).isInstanceOf(StorageException.class).hasMessageContaining("_LATEST.json");
        assertThat(pointer(disk).refresh().orElseThrow().tableVersion()).isEqualTo(1);
    }
}
