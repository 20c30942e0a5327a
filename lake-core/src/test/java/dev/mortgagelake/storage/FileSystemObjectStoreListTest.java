package dev.mortgagelake.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class FileSystemObjectStoreListTest {

    @TempDir
    Path dir;

    @Test
    void listsKeysByPrefixIncludingPartialNamesAndSkipsTemporaryFiles() throws Exception {
        FileSystemObjectStore store = new FileSystemObjectStore(dir);
        byte[] bytes = "x".getBytes(StandardCharsets.UTF_8);
        store.create(new Location("b", "t/_versions/v01.json"), bytes, "application/json");
        store.create(new Location("b", "t/_versions/v02.json"), bytes, "application/json");
        store.create(new Location("b", "t/_LATEST.json"), bytes, "application/json");
        store.create(new Location("b", "other/v03.json"), bytes, "application/json");
        Files.write(dir.resolve("b/t/_versions/.tmp-abandoned"), bytes);

        assertThat(store.list("b", "t/_versions/v0")).extracting(o -> o.location().key())
                .containsExactly("t/_versions/v01.json", "t/_versions/v02.json");
        assertThat(store.list("b", "t/")).hasSize(3);
        assertThat(store.list("b", "")).hasSize(4);
        assertThat(store.list("b", "missing/")).isEmpty();
        assertThat(store.list("nobucket", "t/")).isEmpty();
    }

    @Test
    void listingWhileOtherThreadsCreateObjectsNeverFails() throws Exception {
        FileSystemObjectStore store = new FileSystemObjectStore(dir);
        AtomicBoolean done = new AtomicBoolean();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int writer = w;
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 150; i++) {
                        store.create(new Location("b", "t/_versions/w" + writer + "-" + i + ".json"), new byte[64], "application/json");
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            writers.add(thread);
            thread.start();
        }
        Thread lister = new Thread(() -> {
            try {
                while (!done.get()) {
                    store.list("b", "t/_versions/");
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        });
        lister.start();
        for (Thread thread : writers) {
            thread.join(20_000);
        }
        done.set(true);
        lister.join(20_000);

        assertThat(errors).isEmpty();
        assertThat(store.list("b", "t/_versions/")).hasSize(450);
    }
}
