package dev.mortgagelake.storage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@link ObjectStoreContract} for {@link FileSystemObjectStore}, plus what is specific to files. */
class FileSystemObjectStoreTest extends ObjectStoreContract {

    @TempDir
    Path root;

    private FileSystemObjectStore store;

    @BeforeEach
    void createStore() throws Exception {
        store = new FileSystemObjectStore(root);
        Files.createDirectories(root.resolve(bucket()));
    }

    @Override
    protected ObjectStore store() {
        return store;
    }

    @Override
    protected String bucket() {
        return "lake";
    }

    @Test
    void listingWhileWritersCreateAndReplaceNeverFails() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            Future<?> creating = writers.submit(() -> {
                for (int i = 0; i < 400; i++) {
                    store.create(new Location(bucket(), "busy/" + i), bytes("x" + i), "text/plain");
                }
            });
            Future<?> replacing = writers.submit(() -> {
                for (int i = 0; i < 400; i++) {
                    store.replace(new Location(bucket(), "busy/pointer"), bytes("v" + i), "text/plain");
                }
            });
            while (!creating.isDone() || !replacing.isDone()) {
                assertThat(store.list(bucket(), "busy/")).allSatisfy(o -> assertThat(o.location().fileName()).doesNotStartWith(".tmp-"));
            }
            creating.get(1, TimeUnit.SECONDS);
            replacing.get(1, TimeUnit.SECONDS);
        } finally {
            writers.shutdownNow();
        }
        assertThat(store.list(bucket(), "busy/")).hasSize(401);
        try (Stream<Path> files = Files.list(root.resolve(bucket()).resolve("busy"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith(".tmp-"));
        }
    }

    @Test
    void everyReplaceOfTheSameSizeGetsANewEtag() {
        Location location = new Location(bucket(), "pointer.json");
        String previous = store.create(location, bytes("v0"), "text/plain").etag();
        java.util.Set<String> seen = new java.util.HashSet<>();
        seen.add(previous);
        for (int i = 1; i < 200; i++) {
            String etag = store.replace(location, bytes("v" + (i % 10)), "text/plain").etag();
            assertThat(seen.add(etag)).as("ETag of version %d is new", i).isTrue();
        }
    }

    @Test
    void keysCannotEscapeTheRoot() {
        assertThatThrownBy(() -> store.read(new Location(bucket(), "a/../../outside")))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isFalse());
        assertThatThrownBy(() -> store.list("..", ""))
                .isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> store.list(bucket(), "../other/x"))
                .isInstanceOf(StorageException.class);
    }

    @Test
    void anObjectAndADirectoryOfTheSameNameCannotCoexist() {
        store.create(new Location(bucket(), "a/b"), bytes("leaf"), "text/plain");

        assertThatThrownBy(() -> store.create(new Location(bucket(), "a"), bytes("x"), "text/plain"))
                .isInstanceOf(StorageException.class)
                .isNotInstanceOf(ObjectAlreadyExistsException.class);
        assertThatThrownBy(() -> store.create(new Location(bucket(), "a/b/c"), bytes("x"), "text/plain"))
                .isInstanceOf(StorageException.class)
                .isNotInstanceOf(ObjectAlreadyExistsException.class);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
