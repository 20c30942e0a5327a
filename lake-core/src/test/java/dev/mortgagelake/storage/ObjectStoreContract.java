package dev.mortgagelake.storage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link ObjectStore} must do, as the lake relies on it. A concrete subclass supplies
 * the store and an existing bucket; every test writes under its own random prefix, so the bucket
 * may be shared between tests and test classes.
 *
 * <p>Covered: create-once (all three sources) against an existing key and under a 16-writer race,
 * optimistic replace by ETag, idempotent delete, reads of missing keys, listing in key order across pages, and ETags
 * that are non-blank, unquoted and change on every replace; server-side copy (create-once at the
 * target, also under a race, pinned to the source's ETag), reads pinned to an ETag, lazy listings
 * in S3's key order whatever the "directories", and objects larger than {@link #largeObjectSize()}
 * (written in parts by stores that have parts) created, copied and refused create-once like small ones.
 */
public abstract class ObjectStoreContract {

    private static final String TEXT = "text/plain";

    /** The store under test. */
    protected abstract ObjectStore store();

    /** A bucket that exists in {@link #store()}. */
    protected abstract String bucket();

    /**
     * How many objects {@link #listReturnsEveryObjectUnderThePrefixInKeyOrderAcrossPages()} writes
     * under one prefix: more than one listing page of the store under test.
     */
    protected int objectsForListing() {
        return 1_100;
    }

    /**
     * The size of the "large" objects of the large-object tests: more than two parts of the store
     * under test, if it writes in parts.
     */
    protected int largeObjectSize() {
        return 11 * 1024 * 1024 + 17;
    }

    private String prefix;

    @BeforeEach
    void randomPrefix() {
        prefix = "contract-" + UUID.randomUUID() + "/";
    }

    private Location at(String key) {
        return new Location(bucket(), prefix + key);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void createStoresTheBytesAndReportsTheirMetadata() {
        Location location = at("runs/run-1/manifest.json");

        StoredObject created = store().create(location, utf8("{\"rows\":3}"), "application/json");

        assertThat(created.location()).isEqualTo(location);
        assertThat(created.size()).isEqualTo(10);
        assertThat(created.etag()).isNotBlank().doesNotContain("\"");
        assertThat(store().read(location)).isEqualTo(utf8("{\"rows\":3}"));
        assertThat(store().head(location)).hasValueSatisfying(head -> {
            assertThat(head.size()).isEqualTo(10);
            assertThat(head.etag()).isEqualTo(created.etag());
            assertThat(head.lastModified()).isNotNull();
        });
    }

    @Test
    void createOnAnExistingKeyFailsAndLeavesTheContentUnchanged(@TempDir Path tmp) throws IOException {
        Location location = at("markers/_SUCCESS");
        StoredObject first = store().create(location, utf8("first"), TEXT);
        Path file = Files.writeString(tmp.resolve("second.txt"), "second from a file");
        byte[] streamed = utf8("second from a stream");

        assertThatThrownBy(() -> store().create(location, utf8("second"), TEXT))
                .isInstanceOfSatisfying(ObjectAlreadyExistsException.class, e -> {
                    assertThat(e.location()).isEqualTo(location);
                    assertThat(e.retryable()).isFalse();
                });
        assertThatThrownBy(() -> store().create(location, file, TEXT))
                .isInstanceOf(ObjectAlreadyExistsException.class);
        assertThatThrownBy(() -> store().create(location, new ByteArrayInputStream(streamed), streamed.length, TEXT))
                .isInstanceOf(ObjectAlreadyExistsException.class);

        assertThat(store().read(location)).isEqualTo(utf8("first"));
        assertThat(store().head(location)).hasValueSatisfying(head -> assertThat(head.etag()).isEqualTo(first.etag()));
    }

    /** Longer than the 128 KiB an SDK can rewind, from a stream that cannot be rewound at all. */
    @Test
    void createFromAStreamOfKnownLengthStoresExactlyThoseBytes() throws IOException {
        byte[] content = new byte[256 * 1024 + 17];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        Location location = at("bronze/part-0.bin");

        InputStream oneShot = new FilterInputStream(new ByteArrayInputStream(content)) {
            @Override
            public boolean markSupported() {
                return false; // like a network or pipe stream: it can be read once only
            }
        };

        StoredObject created = store().create(location, oneShot, content.length, "application/octet-stream");

        assertThat(created.size()).isEqualTo(content.length);
        try (InputStream in = store().open(location)) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void createFromAFileAndDownloadRoundTrip(@TempDir Path tmp) throws IOException {
        Path source = Files.writeString(tmp.resolve("source.csv"), "loan_id,amount\n1,100\n");
        Location location = at("landing/file.csv");
        Path target = Files.writeString(tmp.resolve("target.csv"), "stale content that must be replaced");

        StoredObject created = store().create(location, source, "text/csv");
        store().download(location, target);

        assertThat(created.size()).isEqualTo(Files.size(source));
        assertThat(target).hasSameBinaryContentAs(source);
    }

    @Test
    void replaceOverwritesAndChangesTheEtag(@TempDir Path tmp) throws IOException {
        Location location = at("gold/current.json");
        StoredObject v1 = store().create(location, utf8("v1"), TEXT);

        StoredObject v2 = store().replace(location, utf8("v2"), TEXT);
        StoredObject v3 = store().replace(location, Files.writeString(tmp.resolve("v3"), "v3"), TEXT);

        assertThat(List.of(v1.etag(), v2.etag(), v3.etag())).doesNotHaveDuplicates();
        assertThat(store().read(location)).isEqualTo(utf8("v3"));
        Location fresh = at("gold/new.json");
        store().replace(fresh, utf8("created by replace"), TEXT);
        assertThat(store().read(fresh)).isEqualTo(utf8("created by replace"));
    }

    @Test
    void replaceIfMatchSucceedsWithTheCurrentEtagOnly() {
        Location location = at("control/pointer.json");
        StoredObject v1 = store().create(location, utf8("v1"), TEXT);

        StoredObject v2 = store().replaceIfMatch(location, utf8("v2"), v1.etag(), TEXT);

        assertThat(v2.etag()).isNotEqualTo(v1.etag());
        assertThat(store().read(location)).isEqualTo(utf8("v2"));
        assertThatThrownBy(() -> store().replaceIfMatch(location, utf8("v3"), v1.etag(), TEXT))
                .isInstanceOfSatisfying(PreconditionFailedException.class, e -> assertThat(e.retryable()).isFalse());
        assertThat(store().read(location)).isEqualTo(utf8("v2"));
        assertThat(store().replaceIfMatch(location, utf8("v3"), v2.etag(), TEXT).etag()).isNotEqualTo(v2.etag());
    }

    @Test
    void replaceIfMatchOfAMissingKeyIsNotFound() {
        assertThatThrownBy(() -> store().replaceIfMatch(at("nothing-here"), utf8("x"), "0123456789abcdef", TEXT))
                .isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void readsOfAMissingKeyAreNotFound(@TempDir Path tmp) {
        Location missing = at("silver/missing.parquet");
        store().create(at("silver/present.parquet"), utf8("present"), TEXT);

        assertThat(store().head(missing)).isEmpty();
        assertThatThrownBy(() -> store().read(missing)).isInstanceOfSatisfying(ObjectNotFoundException.class,
                e -> assertThat(e.retryable()).isFalse());
        assertThatThrownBy(() -> store().open(missing).close()).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store().download(missing, tmp.resolve("missing"))).isInstanceOf(ObjectNotFoundException.class);
        assertThat(tmp.resolve("missing")).doesNotExist();
    }

    @Test
    void aPrefixOfExistingKeysIsNotAnObject() {
        store().create(at("dir/child.txt"), utf8("child"), TEXT);
        Location directoryLike = at("dir");

        assertThat(store().head(directoryLike)).isEmpty();
        assertThatThrownBy(() -> store().read(directoryLike)).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store().open(directoryLike).close()).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void deleteRemovesTheObjectAndIsIdempotent() {
        Location doomed = at("current/year=2026/month=01/a.parquet");
        Location kept = at("current/year=2026/month=01/b.parquet");
        store().create(doomed, utf8("a"), TEXT);
        store().create(kept, utf8("b"), TEXT);

        store().delete(doomed);
        store().delete(doomed);
        store().delete(at("current/never-written.parquet"));

        assertThat(store().head(doomed)).isEmpty();
        assertThat(store().list(bucket(), prefix + "current/")).extracting(o -> o.location().key()).containsExactly(kept.key());
        store().create(doomed, utf8("a again"), TEXT);
        assertThat(store().read(doomed)).isEqualTo(utf8("a again"));
    }

    @Test
    void listReturnsEveryObjectUnderThePrefixInKeyOrderAcrossPages() throws Exception {
        int count = objectsForListing();
        List<String> expected = IntStream.range(0, count).mapToObj(i -> prefix + "runs/" + String.format("%05d", i) + ".csv").toList();
        inParallel(expected, key -> store().create(new Location(bucket(), key), utf8(key), TEXT));
        store().create(at("runs-archive/old.csv"), utf8("outside: same leading characters, other prefix"), TEXT);
        store().create(at("other/x.csv"), utf8("outside"), TEXT);

        List<StoredObject> listed = store().list(bucket(), prefix + "runs/");

        assertThat(listed).extracting(o -> o.location().key()).containsExactlyElementsOf(expected);
        assertThat(listed).allSatisfy(o -> {
            assertThat(o.location().bucket()).isEqualTo(bucket());
            assertThat(o.size()).isEqualTo(o.location().key().length());
            assertThat(o.etag()).isNotBlank().doesNotContain("\"");
        });
        assertThat(store().list(bucket(), prefix + "runs")).hasSize(count + 1);
        assertThat(store().list(bucket(), prefix + "nothing/")).isEmpty();
    }

    @Test
    void sixteenConcurrentCreatesOfOneKeyHaveExactlyOneWinner() throws Exception {
        Location location = at("ledger/00000000000000000001.json");

        List<String> winners = race(16, i -> {
            String body = "writer-" + i;
            try {
                store().create(location, utf8(body), TEXT);
                return body;
            } catch (ObjectAlreadyExistsException lost) {
                return null;
            }
        });

        assertThat(winners).hasSize(1);
        assertThat(store().read(location)).isEqualTo(utf8(winners.get(0)));
    }

    @Test
    void copyCreatesTheTargetOnceWithTheSourceBytes() {
        Location source = at("landing/incoming/a.csv");
        Location target = at("bronze/run-1/a.csv");
        StoredObject original = store().create(source, utf8("loan_id,amount\n1,100\n"), "text/csv");

        StoredObject copied = store().copy(source, target, original.etag());

        assertThat(copied.location()).isEqualTo(target);
        assertThat(copied.size()).isEqualTo(original.size());
        assertThat(copied.etag()).isNotBlank().doesNotContain("\"");
        assertThat(store().read(target)).isEqualTo(utf8("loan_id,amount\n1,100\n"));
        assertThat(store().head(target)).hasValueSatisfying(head -> assertThat(head.size()).isEqualTo(original.size()));
        assertThat(store().read(source)).as("the source is left as it was").isEqualTo(utf8("loan_id,amount\n1,100\n"));

        Location other = at("landing/incoming/b.csv");
        store().create(other, utf8("other"), TEXT);
        assertThatThrownBy(() -> store().copy(other, target, null))
                .isInstanceOfSatisfying(ObjectAlreadyExistsException.class, e -> {
                    assertThat(e.location()).isEqualTo(target);
                    assertThat(e.retryable()).isFalse();
                });
        assertThat(store().read(target)).isEqualTo(utf8("loan_id,amount\n1,100\n"));
    }

    @Test
    void copyPinnedToAnEtagCopiesThatVersionOrNothing() {
        Location source = at("landing/incoming/changing.csv");
        Location target = at("bronze/run-2/changing.csv");
        StoredObject v1 = store().create(source, utf8("version 1"), TEXT);
        StoredObject v2 = store().replace(source, utf8("version 2, longer"), TEXT);

        assertThatThrownBy(() -> store().copy(source, target, v1.etag()))
                .isInstanceOfSatisfying(PreconditionFailedException.class, e -> assertThat(e.retryable()).isFalse());
        assertThat(store().head(target)).as("nothing copied").isEmpty();

        StoredObject copied = store().copy(source, target, v2.etag());

        assertThat(copied.size()).isEqualTo(utf8("version 2, longer").length);
        assertThat(store().read(target)).isEqualTo(utf8("version 2, longer"));
        store().replace(source, utf8("version 3"), TEXT);
        assertThat(store().read(target)).as("a copy does not follow its source").isEqualTo(utf8("version 2, longer"));
    }

    @Test
    void copyOfAMissingSourceIsNotFoundAndCreatesNothing() {
        Location target = at("bronze/none.csv");

        assertThatThrownBy(() -> store().copy(at("landing/missing.csv"), target, null))
                .isInstanceOfSatisfying(ObjectNotFoundException.class, e -> assertThat(e.retryable()).isFalse());
        assertThat(store().head(target)).isEmpty();
    }

    @Test
    void sixteenConcurrentCopiesToOneKeyHaveExactlyOneWinner() throws Exception {
        Location target = at("current/part-00000.parquet");
        List<Location> sources = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Location source = at("runs/run-" + i + "/part-00000.parquet");
            store().create(source, utf8("content of run " + i), TEXT);
            sources.add(source);
        }
        List<String> winners = race(sources.size(), i -> {
            try {
                store().copy(sources.get(i), target, null);
                return "content of run " + i;
            } catch (ObjectAlreadyExistsException lost) {
                return null;
            }
        });

        assertThat(winners).hasSize(1);
        assertThat(store().read(target)).isEqualTo(utf8(winners.get(0)));
    }

    @Test
    void openIfMatchReadsThatVersionOnly() throws IOException {
        Location location = at("landing/pinned.csv");
        StoredObject v1 = store().create(location, utf8("first"), TEXT);

        try (InputStream in = store().openIfMatch(location, v1.etag())) {
            assertThat(in.readAllBytes()).isEqualTo(utf8("first"));
        }
        StoredObject v2 = store().replace(location, utf8("second"), TEXT);

        assertThatThrownBy(() -> store().openIfMatch(location, v1.etag()).close())
                .isInstanceOfSatisfying(PreconditionFailedException.class, e -> assertThat(e.retryable()).isFalse());
        try (InputStream in = store().openIfMatch(location, v2.etag())) {
            assertThat(in.readAllBytes()).isEqualTo(utf8("second"));
        }
        assertThatThrownBy(() -> store().openIfMatch(at("landing/missing.csv"), v1.etag()).close())
                .isInstanceOf(ObjectNotFoundException.class);
    }

    /**
     * S3 lists in the byte order of the keys: {@code a-b} ('-' is 0x2D) before {@code a/b} ('/' is
     * 0x2F) before {@code a0} ('0' is 0x30). A store that keeps "directories" must not list a
     * directory's keys before or after its siblings' as a whole.
     */
    @Test
    void listingIsInKeyOrderAcrossDirectoriesAndCanStopEarly() {
        List<String> keys = List.of("t/a-b", "t/a/b", "t/a/c/d", "t/a/c0", "t/a0", "t/ab", "t/b/_x", "t/b0");
        List<String> reversed = new ArrayList<>(keys);
        java.util.Collections.reverse(reversed);
        for (String key : reversed) {
            store().create(at(key), utf8(key), TEXT);
        }
        store().create(at("u/outside"), utf8("outside"), TEXT);

        assertThat(store().listing(bucket(), prefix + "t/")).extracting(o -> o.location().key().substring(prefix.length()))
                .containsExactlyElementsOf(keys);
        assertThat(store().listing(bucket(), prefix + "t/a")).extracting(o -> o.location().key().substring(prefix.length()))
                .containsExactly("t/a-b", "t/a/b", "t/a/c/d", "t/a/c0", "t/a0", "t/ab");
        assertThat(store().listing(bucket(), prefix + "t/a/c")).extracting(o -> o.location().key().substring(prefix.length()))
                .containsExactly("t/a/c/d", "t/a/c0");
        assertThat(store().listing(bucket(), prefix + "t/").limit(2)).extracting(o -> o.location().key().substring(prefix.length()))
                .containsExactly("t/a-b", "t/a/b");
        assertThat(store().listing(bucket(), prefix + "nothing/")).isEmpty();
        assertThat(store().list(bucket(), prefix + "t/")).hasSize(keys.size());
    }

    @Test
    void aLargeObjectIsCreatedFromAFileOrAStreamAndCopied(@TempDir Path tmp) throws IOException {
        byte[] content = largeContent(1);
        Path file = Files.write(tmp.resolve("large.bin"), content);
        Location fromFile = at("large/from-file.bin");
        Location fromStream = at("large/from-stream.bin");
        Location copy = at("large/copy.bin");
        try {
            StoredObject created = store().create(fromFile, file, "application/octet-stream");
            StoredObject streamed = store().create(fromStream, oneShot(content), content.length, "application/octet-stream");
            StoredObject copied = store().copy(fromFile, copy, created.etag());

            assertThat(List.of(created.size(), streamed.size(), copied.size())).containsOnly((long) content.length);
            assertThat(created.etag()).isNotBlank().doesNotContain("\"");
            assertThat(store().head(fromFile)).hasValueSatisfying(head -> {
                assertThat(head.size()).isEqualTo(content.length);
                assertThat(head.etag()).isEqualTo(created.etag());
            });
            for (Location location : List.of(fromFile, fromStream, copy)) {
                try (InputStream in = store().open(location)) {
                    assertThat(in.readAllBytes()).as("%s", location).isEqualTo(content);
                }
            }
        } finally {
            for (Location location : List.of(fromFile, fromStream, copy)) {
                store().delete(location);
            }
        }
    }

    @Test
    void aLargeObjectIsCreatedOnceAndALoserChangesNothing(@TempDir Path tmp) throws IOException {
        byte[] first = largeContent(2);
        byte[] second = largeContent(3);
        Path secondFile = Files.write(tmp.resolve("second.bin"), second);
        Location location = at("large/once.bin");
        Location copySource = at("large/source.bin");
        try {
            StoredObject created = store().create(location, oneShot(first), first.length, "application/octet-stream");
            store().create(copySource, secondFile, "application/octet-stream");

            assertThatThrownBy(() -> store().create(location, secondFile, "application/octet-stream"))
                    .isInstanceOf(ObjectAlreadyExistsException.class);
            assertThatThrownBy(() -> store().create(location, oneShot(second), second.length, "application/octet-stream"))
                    .isInstanceOf(ObjectAlreadyExistsException.class);
            assertThatThrownBy(() -> store().copy(copySource, location, null))
                    .isInstanceOf(ObjectAlreadyExistsException.class);
            assertThatThrownBy(() -> store().create(at("large/short.bin"), oneShot(first), first.length + 1L, "application/octet-stream"))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isFalse());

            assertThat(store().head(location)).hasValueSatisfying(head -> assertThat(head.etag()).isEqualTo(created.etag()));
            try (InputStream in = store().open(location)) {
                assertThat(in.readAllBytes()).isEqualTo(first);
            }
            assertThat(store().head(at("large/short.bin"))).as("a stream shorter than announced writes nothing").isEmpty();
        } finally {
            store().delete(location);
            store().delete(copySource);
        }
    }

    /** Deterministic, incompressible-looking content of {@link #largeObjectSize()} bytes. */
    protected byte[] largeContent(long seed) {
        byte[] content = new byte[largeObjectSize()];
        new java.util.Random(seed).nextBytes(content);
        return content;
    }

    /** A stream that can be read once only, like a network or pipe stream. */
    protected static InputStream oneShot(byte[] content) {
        return new FilterInputStream(new ByteArrayInputStream(content)) {
            @Override
            public boolean markSupported() {
                return false;
            }
        };
    }

    private interface Contender {
        String run(int index) throws Exception;
    }

    /** Runs {@code contenders} at once; the non-null answers. */
    private static List<String> race(int contenders, Contender contender) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < contenders; i++) {
                int index = i;
                outcomes.add(pool.submit(() -> {
                    go.await();
                    return contender.run(index);
                }));
            }
            go.countDown();
            List<String> winners = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                String winner = outcome.get(60, TimeUnit.SECONDS);
                if (winner != null) {
                    winners.add(winner);
                }
            }
            return winners;
        } finally {
            pool.shutdownNow();
        }
    }

    private interface KeyAction {
        void apply(String key) throws Exception;
    }

    /** Runs {@code action} for every key on a few threads (remote stores are latency-bound). */
    private static void inParallel(List<String> keys, KeyAction action) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (String key : keys) {
                done.add(pool.submit(() -> {
                    action.apply(key);
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
