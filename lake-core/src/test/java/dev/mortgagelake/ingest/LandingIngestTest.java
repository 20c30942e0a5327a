package dev.mortgagelake.ingest;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.LakeEvent;
import dev.mortgagelake.ingest.notification.LandedObject;
import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.storage.FaultInjectingObjectStore;
import dev.mortgagelake.storage.FaultInjectingObjectStore.Call;
import dev.mortgagelake.storage.FileSystemObjectStore;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.StoredObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LandingIngestTest {

    private static final Instant NOW = Instant.parse("2026-01-21T12:00:00Z");
    private static final byte[] CONTENT = ("TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp\n"
            + "T1,C1,10.00,EUR,2026-01-02T10:00:00Z\n").getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;

    private FileSystemObjectStore store;
    private LakeLayout layout;
    private LandingIngest ingest;
    private final List<LakeEvent<?>> sent = new ArrayList<>();

    @BeforeEach
    void setUp() {
        store = new FileSystemObjectStore(root);
        layout = new LakeLayout(new LakeBuckets("landing", "bronze", "silver", "gold", "quarantine"));
        ingest = new LandingIngest(store, layout, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aNewLandingBecomesARunWithAVerbatimBronzeCopyAndOneFileLandedEvent() throws Exception {
        LandedObject landed = land("incoming/a file.csv", CONTENT);

        IngestOutcome outcome = ingest.ingest(landed, sent::add);

        assertThat(outcome.kind()).isEqualTo(IngestOutcome.Kind.INGESTED);
        assertThat(sent).hasSize(1);
        FileLanded event = (FileLanded) sent.get(0).data();
        assertThat(event.runId()).isEqualTo(outcome.runId());
        assertThat(event.sha256()).isEqualTo(sha256(CONTENT)).isEqualTo(outcome.sha256());
        assertThat(event.sizeBytes()).isEqualTo(CONTENT.length);
        assertThat(event.source()).isEqualTo(landed.location());
        assertThat(event.bronze().key()).isEqualTo("bronze/mortgages/transactions/ingest_date=2026-01-21/run_id="
                + outcome.runId() + "/a file.csv");
        assertThat(store.read(event.bronze())).isEqualTo(CONTENT);
        // the event survives the wire format
        assertThat(EventCodec.<FileLanded>decode(EventCodec.encode(sent.get(0)), EventType.FILE_LANDED).data()).isEqualTo(event);
    }

    /** Hostile landing keys (path traversal, control characters, overlong names): a Bronze key always stays inside its run's prefix. */
    @Test
    void hostileLandingKeysNeverAddressAnotherBronzePath() {
        assertThat(LandingIngest.bronzeFileName(new Location("landing", "incoming/../../etc/passwd.csv"))).isEqualTo("passwd.csv");
        assertThat(LandingIngest.bronzeFileName(new Location("landing", "incoming/.."))).isEqualTo("landed-file");
        assertThat(LandingIngest.bronzeFileName(new Location("landing", "incoming/."))).isEqualTo("landed-file");
        assertThat(LandingIngest.bronzeFileName(new Location("landing", "incoming/"))).isEqualTo("landed-file");
        assertThat(LandingIngest.bronzeFileName(new Location("landing", "incoming/a\u0000b\u001B[2J\u0085.csv"))).isEqualTo("a_b_[2J_.csv");

        LandedObject landed = land("incoming/bell\u0007name.csv", CONTENT);
        IngestOutcome outcome = ingest.ingest(landed, sent::add);

        FileLanded event = (FileLanded) sent.get(0).data();
        assertThat(event.bronze().key()).isEqualTo("bronze/mortgages/transactions/ingest_date=2026-01-21/run_id="
                + outcome.runId() + "/bell_name.csv");
        assertThat(event.source()).as("the original key is kept").isEqualTo(landed.location());
        assertThat(store.read(event.bronze())).isEqualTo(CONTENT);
    }

    @Test
    void theSameNotificationDeliveredTwiceLeavesOneRunAndOneEvent() {
        LandedObject landed = land("incoming/a.csv", CONTENT);

        IngestOutcome first = ingest.ingest(landed, sent::add);
        IngestOutcome second = ingest.ingest(landed, sent::add);

        assertThat(second.kind()).isEqualTo(IngestOutcome.Kind.REDELIVERED);
        assertThat(second.runId()).isEqualTo(first.runId());
        assertThat(sent).hasSize(1);
        assertThat(bronzeObjects()).hasSize(1);
    }

    @Test
    void theSameContentLandingAgainIsRecordedAsADuplicateAndMakesNoSecondRun() {
        IngestOutcome first = ingest.ingest(land("incoming/a.csv", CONTENT), sent::add);
        IngestOutcome again = ingest.ingest(land("incoming/copy-of-a.csv", CONTENT), sent::add);

        assertThat(again.kind()).isEqualTo(IngestOutcome.Kind.DUPLICATE_CONTENT);
        assertThat(again.runId()).isEqualTo(first.runId());
        assertThat(sent).hasSize(1);
        assertThat(bronzeObjects()).hasSize(1);
        List<StoredObject> duplicates = store.list("bronze", "bronze/_ingest/mortgages/transactions/duplicate-landings/");
        assertThat(duplicates).hasSize(1);
        assertThat(new String(store.read(duplicates.get(0).location()), StandardCharsets.UTF_8))
                .contains("incoming/copy-of-a.csv").contains(first.runId());
    }

    @Test
    void aCrashBeforeTheEventWasSentIsCompletedByTheRedelivery() {
        LandedObject landed = land("incoming/a.csv", CONTENT);

        assertThatThrownBy(() -> ingest.ingest(landed, event -> {
            throw new IllegalStateException("queue unreachable");
        })).hasMessageContaining("queue unreachable");
        assertThat(sent).isEmpty();

        IngestOutcome retried = ingest.ingest(landed, sent::add);

        assertThat(retried.kind()).isEqualTo(IngestOutcome.Kind.REDELIVERED);
        assertThat(sent).hasSize(1);
        assertThat(((FileLanded) sent.get(0).data()).runId()).isEqualTo(retried.runId());
        assertThat(bronzeObjects()).hasSize(1);
    }

    @Test
    void bronzeIsNeverOverwritten() {
        ingest.ingest(land("incoming/a.csv", CONTENT), sent::add);
        FileLanded event = (FileLanded) sent.get(0).data();

        assertThatThrownBy(() -> store.create(event.bronze(), "tampered".getBytes(StandardCharsets.UTF_8), "text/csv"))
                .isInstanceOf(dev.mortgagelake.storage.ObjectAlreadyExistsException.class);
        assertThat(store.read(event.bronze())).isEqualTo(CONTENT);
    }

    @Test
    void aNotificationForAnObjectThatIsGoneIsReportedMissing() {
        IngestOutcome outcome = ingest.ingest(new LandedObject(new Location("landing", "incoming/gone.csv"), 1, "x", NOW), sent::add);

        assertThat(outcome.kind()).isEqualTo(IngestOutcome.Kind.MISSING);
        assertThat(sent).isEmpty();
    }

    @Test
    void theSweepIngestsOnlyLandingsWithoutAHandledMarkerAndOlderThanTheGracePeriod() {
        ingest.ingest(land("incoming/notified.csv", CONTENT), sent::add);
        land("incoming/missed.csv", "other content".getBytes(StandardCharsets.UTF_8));
        // landing objects carry the file system's real modification time, so the sweep's clock is real time + 1 h
        LandingSweep sweep = new LandingSweep(store, layout, ingest, Clock.fixed(Instant.now().plus(Duration.ofHours(1)), ZoneOffset.UTC));

        List<IngestOutcome> swept = sweep.sweep("incoming/", Duration.ofSeconds(30), sent::add);

        assertThat(swept).extracting(IngestOutcome::kind).containsExactly(IngestOutcome.Kind.INGESTED);
        assertThat(sent).hasSize(2);
        assertThat(sweep.sweep("incoming/", Duration.ofSeconds(30), sent::add)).isEmpty();

        LandingSweep tooEarly = new LandingSweep(store, layout, ingest, Clock.fixed(Instant.now().minusSeconds(3600), ZoneOffset.UTC));
        land("incoming/fresh.csv", "fresh".getBytes(StandardCharsets.UTF_8));
        assertThat(tooEarly.sweep("incoming/", Duration.ofSeconds(30), sent::add)).isEmpty();
    }

    @Test
    void theBronzeCopyIsServerSideAndOfTheVersionThatWasHashed() throws Exception {
        FaultInjectingObjectStore counting = new FaultInjectingObjectStore(store);
        LandingIngest ingesting = new LandingIngest(counting, layout, Clock.fixed(NOW, ZoneOffset.UTC));
        LandedObject landed = land("incoming/a.csv", CONTENT);

        IngestOutcome outcome = ingesting.ingest(landed, sent::add);

        FileLanded event = (FileLanded) sent.get(0).data();
        assertThat(counting.calls(Call.OPEN)).as("the landing object is read once, to hash it").isEqualTo(1);
        assertThat(counting.calls(Call.COPY)).isEqualTo(1);
        assertThat(store.read(event.bronze())).isEqualTo(CONTENT);
        assertThat(outcome.sha256()).isEqualTo(sha256(CONTENT));
    }

    @Test
    void aLandingObjectThatChangesAfterItWasHashedFailsLoudlyAndCopiesNothing() {
        FaultInjectingObjectStore racing = new FaultInjectingObjectStore(store);
        LandingIngest ingesting = new LandingIngest(racing, layout, Clock.fixed(NOW, ZoneOffset.UTC));
        LandedObject landed = land("incoming/a.csv", CONTENT);
        racing.beforeCall(Call.COPY, key -> key.startsWith("bronze/mortgages/"), 1,
                () -> store.replace(landed.location(), "changed underneath".getBytes(StandardCharsets.UTF_8), "text/csv"));

        assertThatThrownBy(() -> ingesting.ingest(landed, sent::add))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("changed after it was hashed")
                .hasMessageContaining(sha256Unchecked(CONTENT));

        assertThat(bronzeObjects()).as("no Bronze copy of bytes other than the hashed ones").isEmpty();
        assertThat(sent).isEmpty();
    }

    @Test
    void aLandingObjectThatChangesWhileItIsHashedIsIngestedAsItsNewVersion() throws Exception {
        FaultInjectingObjectStore racing = new FaultInjectingObjectStore(store);
        LandingIngest ingesting = new LandingIngest(racing, layout, Clock.fixed(NOW, ZoneOffset.UTC));
        LandedObject landed = land("incoming/a.csv", CONTENT);
        byte[] newer = "TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp\n".getBytes(StandardCharsets.UTF_8);
        racing.beforeCall(Call.OPEN, key -> key.equals("incoming/a.csv"), 1,
                () -> store.replace(landed.location(), newer, "text/csv"));

        IngestOutcome outcome = ingesting.ingest(landed, sent::add);

        FileLanded event = (FileLanded) sent.get(0).data();
        assertThat(outcome.sha256()).isEqualTo(sha256(newer)).isEqualTo(event.sha256());
        assertThat(store.read(event.bronze())).isEqualTo(newer);
        assertThat(bronzeObjects()).hasSize(1);
    }

    private static String sha256Unchecked(byte[] bytes) {
        try {
            return sha256(bytes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private LandedObject land(String key, byte[] content) {
        StoredObject stored = store.replace(new Location("landing", key), content, "text/csv");
        return new LandedObject(stored.location(), stored.size(), stored.etag(), NOW);
    }

    private List<StoredObject> bronzeObjects() {
        return store.list("bronze", "bronze/mortgages/");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
