package dev.mortgagelake.ingest.backfill;

import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.LakeEvent;
import dev.mortgagelake.ingest.IngestOutcome;
import dev.mortgagelake.ingest.LandingIngest;
import dev.mortgagelake.ingest.notification.LandedObject;
import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.storage.FileSystemObjectStore;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.StoredObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackfillTest {

    private static final Instant DAY1 = Instant.parse("2026-01-20T09:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-01-21T09:00:00Z");
    private static final Instant BACKFILL_DAY = Instant.parse("2026-02-03T10:00:00Z");
    private static final String HEADER = "TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp\n";

    @TempDir
    Path root;

    private FileSystemObjectStore store;
    private LakeLayout layout;
    private final List<LakeEvent<?>> sent = new ArrayList<>();

    @BeforeEach
    void setUp() {
        store = new FileSystemObjectStore(root);
        layout = new LakeLayout(new LakeBuckets("landing", "bronze", "silver", "gold", "quarantine"));
    }

    @Test
    void aBackfilledDateBecomesNewRunsThatSupersedeTheOriginalAndEarlierBackfills() {
        IngestOutcome first = land(DAY1, "incoming/day1.csv", HEADER + "T1,C1,10.00,EUR,2026-01-02T10:00:00Z\n");
        IngestOutcome second = land(DAY2, "incoming/day2.csv", HEADER + "T2,C1,20.00,EUR,2026-01-03T10:00:00Z\n");
        Backfill backfill = new Backfill(store, layout, Clock.fixed(BACKFILL_DAY, ZoneOffset.UTC));
        int bronzeBefore = bronzeFiles().size();

        Backfill.Outcome outcome = backfill.request(request("bf-1", LocalDate.parse("2026-01-21")), sent::add);

        assertThat(outcome.created()).isTrue();
        assertThat(outcome.record().runs()).hasSize(1);
        BackfillRecord.Run run = outcome.record().runs().get(0);
        assertThat(run.runId()).endsWith("_BACKFILL").startsWith("20260203T100000000Z-");
        assertThat(run.originalRunId()).isEqualTo(second.runId());
        assertThat(run.supersedes()).containsExactly(second.runId());
        assertThat(run.ingestDate()).isEqualTo(LocalDate.parse("2026-02-03"));
        assertThat(run.bronze().key()).isEqualTo("bronze/mortgages/transactions/ingest_date=2026-02-03/run_id=" + run.runId() + "/day2.csv");
        assertThat(store.read(run.bronze())).isEqualTo(store.read(run.originalBronze()));
        assertThat(bronzeFiles()).hasSize(bronzeBefore + 1);

        assertThat(sent).hasSize(1);
        FileLanded event = (FileLanded) sent.get(0).data();
        assertThat(event.runId()).isEqualTo(run.runId());
        assertThat(event.runKind()).isEqualTo(FileLanded.KIND_BACKFILL);
        assertThat(event.supersedes()).containsExactly(second.runId());
        assertThat(event.bronze()).isEqualTo(run.bronze());
        assertThat(event.sha256()).isEqualTo(second.sha256());
        assertThat(event.ingestDate()).isEqualTo(LocalDate.parse("2026-02-03"));

        BackfillRecord stored = backfill.find("bf-1").orElseThrow();
        assertThat(stored).isEqualTo(outcome.record());
        assertThat(stored.requestedBy()).isEqualTo("olivia");
        assertThat(stored.roles()).containsExactly("platform-operator");
        assertThat(stored.reason()).isEqualTo("contract fix");
        assertThat(backfill.emitted("bf-1")).isTrue();
        assertThat(backfill.list()).containsExactly(stored);

        // The same request again: the same record, no new run, no new Bronze file, no event.
        sent.clear();
        Backfill.Outcome repeat = backfill.request(request("bf-1", LocalDate.parse("2026-01-21")), sent::add);
        assertThat(repeat.created()).isFalse();
        assertThat(repeat.record()).isEqualTo(stored);
        assertThat(sent).isEmpty();
        assertThat(bronzeFiles()).hasSize(bronzeBefore + 1);

        // A second backfill of a range covering both dates (and the day of the first backfill):
        // day 1's original once, day 2's original once, superseding the original and the first backfill.
        Backfill later = new Backfill(store, layout, Clock.fixed(BACKFILL_DAY.plusSeconds(3600), ZoneOffset.UTC));
        Backfill.Outcome again = later.request(new BackfillRequest("bf-2", "mortgages/transactions", LocalDate.parse("2026-01-20"),
                LocalDate.parse("2026-02-03"), "second fix", "olivia", List.of("platform-operator")), sent::add);
        assertThat(again.record().runs()).extracting(BackfillRecord.Run::originalRunId)
                .containsExactlyInAnyOrder(first.runId(), second.runId());
        BackfillRecord.Run secondOfDay2 = again.record().runs().stream()
                .filter(r -> r.originalRunId().equals(second.runId())).findFirst().orElseThrow();
        assertThat(secondOfDay2.supersedes()).containsExactly(second.runId(), run.runId());
        assertThat(sent).hasSize(2);
        assertThat(backfill.list()).extracting(BackfillRecord::requestId).containsExactly("bf-1", "bf-2");
    }

    @Test
    void anInterruptedRequestIsCompletedWithTheSameRunsWhenRetried() {
        land(DAY1, "incoming/day1.csv", HEADER + "T1,C1,10.00,EUR,2026-01-02T10:00:00Z\n");
        Backfill backfill = new Backfill(store, layout, Clock.fixed(BACKFILL_DAY, ZoneOffset.UTC));
        BackfillRequest request = request("bf-crash", LocalDate.parse("2026-01-20"));

        assertThatThrownBy(() -> backfill.request(request, event -> {
            throw new IllegalStateException("queue down");
        })).hasMessage("queue down");
        assertThat(backfill.emitted("bf-crash")).isFalse();
        BackfillRecord planned = backfill.find("bf-crash").orElseThrow();

        Backfill.Outcome retried = backfill.request(request, sent::add);
        assertThat(retried.created()).isFalse();
        assertThat(retried.record()).isEqualTo(planned);
        assertThat(sent).extracting(e -> ((FileLanded) e.data()).runId()).containsExactly(planned.runs().get(0).runId());
        assertThat(backfill.emitted("bf-crash")).isTrue();
    }

    @Test
    void invalidRequestsAndATakenRequestIdAreRefusedWithoutWriting() {
        land(DAY1, "incoming/day1.csv", HEADER + "T1,C1,10.00,EUR,2026-01-02T10:00:00Z\n");
        Backfill backfill = new Backfill(store, layout, Clock.fixed(BACKFILL_DAY, ZoneOffset.UTC));
        LocalDate d = LocalDate.parse("2026-01-20");
        assertThatThrownBy(() -> backfill.request(new BackfillRequest(null, "mortgages/other", d, d, "x", "olivia", List.of()), sent::add))
                .isInstanceOf(BackfillRejectedException.class).hasMessageContaining("Unknown dataset");
        assertThatThrownBy(() -> backfill.request(new BackfillRequest(null, "mortgages/transactions", d, d.minusDays(1), "x", "olivia",
                List.of()), sent::add)).hasMessageContaining("before it starts");
        assertThatThrownBy(() -> backfill.request(new BackfillRequest(null, "mortgages/transactions", d, d.plusDays(366), "x", "olivia",
                List.of()), sent::add)).hasMessageContaining("at most 366 days");
        assertThatThrownBy(() -> backfill.request(new BackfillRequest(null, "mortgages/transactions", d, d, " ", "olivia",
                List.of()), sent::add)).hasMessageContaining("reason");
        assertThatThrownBy(() -> backfill.request(new BackfillRequest("../x", "mortgages/transactions", d, d, "x", "olivia",
                List.of()), sent::add)).hasMessageContaining("request id");
        assertThat(backfill.list()).isEmpty();

        backfill.request(request("bf-1", d), sent::add);
        assertThatThrownBy(() -> backfill.request(request("bf-1", d.plusDays(1)), sent::add))
                .isInstanceOfSatisfying(BackfillRejectedException.class,
                        e -> assertThat(e.kind()).isEqualTo(BackfillRejectedException.Kind.CONFLICT));
        assertThat(sent).hasSize(1);
    }

    private static BackfillRequest request(String id, LocalDate date) {
        return new BackfillRequest(id, "mortgages/transactions", date, date, "contract fix", "olivia", List.of("platform-operator"));
    }

    private IngestOutcome land(Instant at, String key, String csv) {
        StoredObject object = store.replace(new Location("landing", key), csv.getBytes(StandardCharsets.UTF_8), "text/csv");
        LandingIngest ingest = new LandingIngest(store, layout, Clock.fixed(at, ZoneOffset.UTC));
        return ingest.ingest(new LandedObject(object.location(), object.size(), object.etag(), at), event -> {
        });
    }

    private List<StoredObject> bronzeFiles() {
        return store.list("bronze", "bronze/mortgages/transactions/");
    }
}
