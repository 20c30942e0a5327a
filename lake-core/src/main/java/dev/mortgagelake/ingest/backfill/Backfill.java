package dev.mortgagelake.ingest.backfill;

import dev.mortgagelake.event.EventSink;
import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.LakeEvents;
import dev.mortgagelake.ingest.ContentClaim;
import dev.mortgagelake.ingest.LandingIngest;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.storage.ControlDocuments;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectAlreadyExistsException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.storage.StoredObject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Backfill: reprocesses the Bronze files of an ingest-date range as new runs.
 *
 * <p><b>The files of a date</b> are the Bronze files of the <i>original ingests</i> of that date:
 * {@code bronze/mortgages/transactions/ingest_date=D/run_id=R/<file>} where {@code R} has no kind
 * suffix (not {@code _BACKFILL}, not {@code _RETRY}) and {@code R} owns the file's content claim
 * ({@code layout.contentClaim(sha256)}). Each content is taken once per request. A backfill run's own
 * Bronze copy (under the ingest date of the day it was made) is never a file of its date: backfilling
 * a date again reprocesses the original file once more and supersedes the original run <i>and</i>
 * every earlier backfill of it (kept under {@code layout.contentBackfillsPrefix(sha256)}).
 *
 * <p>For each file: a new run {@code RunId.newRun(now, "BACKFILL")} whose ingest date is the day of
 * the request; the bytes copied to the new run's Bronze key with create-once (re-hashed while copying;
 * Bronze is never overwritten); a lineage record create-once; then {@code file-landed} with run kind
 * {@code BACKFILL} and {@code supersedes} = every earlier run of the same content. On promotion,
 * publish-service commits a BACKFILL version that retires the superseded runs; their files stay in
 * storage for audit.
 *
 * <p>Invariants: the request record is created once ({@code layout.backfillRequest(id)}) <i>before</i>
 * any copy or event, with the new run ids, so a request is planned exactly once per id: a retry (after
 * a crash, a timeout, or a concurrent duplicate) completes the same runs and creates nothing new; once
 * {@code layout.backfillEmitted(id)} exists, a retry emits nothing either. Nothing is overwritten or
 * deleted. Two <i>different</i> requests racing on the same content each supersede what existed when
 * they were planned (the later promotion does not retire the other's run); operators serialise
 * backfills of one range.
 */
public final class Backfill {

    private static final Logger LOG = Logger.getLogger(Backfill.class);

    /** The longest range one request may cover, in days (inclusive of both ends). */
    public static final int MAX_DAYS = 366;
    public static final String RUN_KIND = "BACKFILL";

    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern BRONZE_FILE = Pattern.compile("run_id=([^/]+)/([^/]+)");
    private static final Pattern LINEAGE = Pattern.compile(".*/run_id=([^/]+)\\.json");

    private final ObjectStore store;
    private final LakeLayout layout;
    private final Clock clock;
    private final ControlDocuments documents;

    public Backfill(ObjectStore store, LakeLayout layout, Clock clock) {
        this.store = store;
        this.documents = new ControlDocuments(store);
        this.layout = layout;
        this.clock = clock;
    }

    /** What a request did: its record, and whether this call planned it (false: the id was known). */
    public record Outcome(BackfillRecord record, boolean created) {
    }

    /**
     * Plans (once per request id) and carries out a backfill; {@code sink} receives one
     * {@code file-landed} per new run, unless the request was already carried out.
     *
     * @throws BackfillRejectedException if the request is invalid or its id names another request
     */
    public Outcome request(BackfillRequest request, EventSink sink) {
        validate(request);
        Instant now = clock.instant();
        String requestId = request.requestId() == null || request.requestId().isBlank()
                ? "backfill-" + RunId.newRun(now).value() : request.requestId();
        Optional<BackfillRecord> existing = find(requestId);
        boolean created = false;
        BackfillRecord record;
        if (existing.isPresent()) {
            record = sameOrConflict(existing.get(), request);
        } else {
            BackfillRecord planned = plan(requestId, request, now);
            try {
                documents.create(layout.backfillRequest(requestId), planned);
                record = planned;
                created = true;
                LOG.infof("Backfill %s by %s %s for %s..%s planned %d run(s): %s", requestId, request.requestedBy(),
                        request.roles(), request.from(), request.to(), planned.runs().size(), request.reason());
            } catch (ObjectAlreadyExistsException e) {
                record = sameOrConflict(find(requestId).orElseThrow(), request);
            }
        }
        complete(record, sink);
        return new Outcome(record, created);
    }

    /** The record of one request. */
    public Optional<BackfillRecord> find(String requestId) {
        if (!REQUEST_ID.matcher(requestId).matches()) {
            return Optional.empty();
        }
        Location location = layout.backfillRequest(requestId);
        if (store.head(location).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(documents.read(location, BackfillRecord.class));
    }

    /** Every request, oldest first. */
    public List<BackfillRecord> list() {
        List<BackfillRecord> records = new ArrayList<>();
        for (StoredObject object : (Iterable<StoredObject>) store.listing(layout.buckets().bronze(), layout.backfillRequestsPrefix())::iterator) {
            if (object.location().key().endsWith(".json")) {
                records.add(documents.read(object.location(), BackfillRecord.class));
            }
        }
        records.sort(Comparator.comparing(BackfillRecord::requestedAt).thenComparing(BackfillRecord::requestId));
        return records;
    }

    /** Whether every {@code file-landed} of a request was sent. */
    public boolean emitted(String requestId) {
        return store.head(layout.backfillEmitted(requestId)).isPresent();
    }

    private void validate(BackfillRequest request) {
        if (!LakeLayout.DATASET_PATH.equals(request.dataset())) {
            throw invalid("Unknown dataset '" + request.dataset() + "'; ingest-service backfills " + LakeLayout.DATASET_PATH);
        }
        if (request.from() == null || request.to() == null) {
            throw invalid("A backfill needs an ingest-date range: from and to (yyyy-MM-dd)");
        }
        if (request.to().isBefore(request.from())) {
            throw invalid("The range ends (" + request.to() + ") before it starts (" + request.from() + ")");
        }
        if (ChronoUnit.DAYS.between(request.from(), request.to()) + 1 > MAX_DAYS) {
            throw invalid("A backfill covers at most " + MAX_DAYS + " days; split " + request.from() + ".." + request.to());
        }
        if (request.reason() == null || request.reason().isBlank()) {
            throw invalid("A backfill needs a reason");
        }
        if (request.requestedBy() == null || request.requestedBy().isBlank()) {
            throw invalid("A backfill needs the requesting identity");
        }
        if (request.requestId() != null && !request.requestId().isBlank() && !REQUEST_ID.matcher(request.requestId()).matches()) {
            throw invalid("A request id is 1-64 characters of [A-Za-z0-9._-]: '" + request.requestId() + "'");
        }
    }

    private static BackfillRejectedException invalid(String message) {
        return new BackfillRejectedException(BackfillRejectedException.Kind.INVALID, message);
    }

    private static BackfillRecord sameOrConflict(BackfillRecord existing, BackfillRequest request) {
        if (!existing.sameAs(request)) {
            throw new BackfillRejectedException(BackfillRejectedException.Kind.CONFLICT, "Backfill request " + existing.requestId()
                    + " exists for " + existing.from() + ".." + existing.to() + " (" + existing.reason() + "); use another request id");
        }
        LOG.infof("Backfill request %s is known (%d run(s)); nothing new is created", existing.requestId(), existing.runs().size());
        return existing;
    }

    /** The runs a request creates: one per original file of each date in the range. */
    private BackfillRecord plan(String requestId, BackfillRequest request, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<BackfillRecord.Run> runs = new ArrayList<>();
        Set<String> contents = new HashSet<>();
        for (LocalDate date = request.from(); !date.isAfter(request.to()); date = date.plusDays(1)) {
            String prefix = layout.bronzeDatePrefix(date);
            for (StoredObject object : (Iterable<StoredObject>) store.listing(layout.buckets().bronze(), prefix)::iterator) {
                Matcher file = BRONZE_FILE.matcher(object.location().key().substring(prefix.length()));
                if (!file.matches() || !originalRun(file.group(1))) {
                    continue;
                }
                String sha256 = hash(object.location());
                Location claimLocation = layout.contentClaim(sha256);
                if (store.head(claimLocation).isEmpty()) {
                    LOG.warnf("Bronze file %s has no content claim; not a file of %s, skipped", object.location(), date);
                    continue;
                }
                ContentClaim claim = documents.read(claimLocation, ContentClaim.class);
                if (!claim.runId().equals(file.group(1)) || !contents.add(sha256)) {
                    continue;
                }
                RunId runId = RunId.newRun(now, RUN_KIND);
                List<String> supersedes = new ArrayList<>();
                supersedes.add(claim.runId());
                supersedes.addAll(earlierBackfills(sha256));
                runs.add(new BackfillRecord.Run(runId.value(), today, layout.bronzeFile(today, runId, file.group(2)),
                        claim.runId(), object.location(), sha256, object.size(), supersedes));
            }
        }
        return new BackfillRecord(requestId, request.dataset(), request.from(), request.to(), request.reason().strip(),
                request.requestedBy(), request.roles(), now, runs);
    }

    private static boolean originalRun(String runId) {
        try {
            return !RunId.of(runId).value().contains("_");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private List<String> earlierBackfills(String sha256) {
        List<String> runs = new ArrayList<>();
        for (StoredObject object : (Iterable<StoredObject>) store.listing(layout.buckets().bronze(), layout.contentBackfillsPrefix(sha256))::iterator) {
            Matcher lineage = LINEAGE.matcher(object.location().key());
            if (lineage.matches()) {
                runs.add(lineage.group(1));
            }
        }
        runs.sort(null);
        return runs;
    }

    /** Copies, records lineage and emits for every run of {@code record}; each step is safe to repeat. */
    private void complete(BackfillRecord record, EventSink sink) {
        Location emitted = layout.backfillEmitted(record.requestId());
        if (store.head(emitted).isPresent()) {
            return;
        }
        for (BackfillRecord.Run run : record.runs()) {
            if (store.head(run.bronze()).isEmpty()) {
                copyToBronze(run);
            }
            documents.createIfAbsent(layout.contentBackfill(run.sha256(), RunId.of(run.runId())),
                    new Lineage(run.runId(), record.requestId(), run.originalRunId(), run.supersedes(), record.requestedAt()));
            sink.send(LakeEvents.fileLanded(new FileLanded(run.runId(), record.dataset(), LandingIngest.SCHEMA_VERSION,
                    FileLanded.KIND_BACKFILL, run.ingestDate(), run.originalBronze(), run.bronze(), run.sha256(), run.sizeBytes(),
                    record.requestedAt(), run.supersedes())));
            LOG.infof("Backfill %s: run %s reprocesses %s, superseding %s", record.requestId(), run.runId(), run.originalBronze(),
                    run.supersedes());
        }
        documents.createIfAbsent(emitted, new Emitted(record.requestId(), record.runs().size(), clock.instant()));
    }

    private void copyToBronze(BackfillRecord.Run run) {
        MessageDigest sha = ControlDocuments.sha256();
        try (InputStream in = new DigestInputStream(store.open(run.originalBronze()), sha)) {
            store.create(run.bronze(), in, run.sizeBytes(), "application/octet-stream");
        } catch (ObjectAlreadyExistsException e) {
            LOG.infof("Bronze copy %s already exists (an earlier attempt made it)", run.bronze());
            return;
        } catch (IOException e) {
            throw new StorageException("Cannot copy " + run.originalBronze() + " to " + run.bronze() + ": " + e.getMessage(), true, e);
        }
        String copied = HexFormat.of().formatHex(sha.digest());
        if (!copied.equals(run.sha256())) {
            throw new IllegalStateException("Bronze file " + run.originalBronze() + " changed between planning and copying"
                    + " (sha256 " + run.sha256() + " planned, " + copied + " copied to " + run.bronze() + ")");
        }
    }

    private String hash(Location location) {
        MessageDigest sha = ControlDocuments.sha256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = store.open(location)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new StorageException("Cannot read Bronze file " + location + ": " + e.getMessage(), true, e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }





    /** A backfill run of one content, kept so a later backfill supersedes it too. */
    public record Lineage(String runId, String requestId, String originalRunId, List<String> supersedes, Instant createdAt) {
    }

    private record Emitted(String requestId, int runs, Instant emittedAt) {
    }
}
