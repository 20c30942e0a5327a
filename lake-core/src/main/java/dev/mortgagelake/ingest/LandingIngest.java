package dev.mortgagelake.ingest;

import dev.mortgagelake.event.EventSink;
import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.LakeEvents;
import dev.mortgagelake.ingest.notification.LandedObject;
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
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Lands a file into Bronze and makes it a run.
 *
 * <p>Steps, each safe to repeat after a crash at any point:
 * <ol>
 *   <li>If the landing (bucket, key, ETag) is marked handled, nothing is left to do.</li>
 *   <li>Hash the landing object (sha256, size).</li>
 *   <li>Claim the content: create {@code contentClaim(sha256)} once. The creator owns the content and
 *       names the run. If the claim exists and came from this same landing, this is a redelivery and
 *       the claimed run is completed; if it came from another landing, the landing is a duplicate:
 *       recorded under {@code duplicate-landings/}, never a second run.</li>
 *   <li>Copy the bytes verbatim to the run's Bronze key with create-once ({@code If-None-Match: *}),
 *       re-hashing while copying; a mismatch (the landing object changed underneath) fails loudly.</li>
 *   <li>Emit {@code file-landed} unless the content's {@code .emitted} marker exists, then set it.</li>
 *   <li>Mark the landing handled.</li>
 * </ol>
 * Bronze is never overwritten, and the same content never becomes a second run.
 */
public final class LandingIngest {

    private static final Logger LOG = Logger.getLogger(LandingIngest.class);
    public static final String SCHEMA_VERSION = "v1";

    private final ObjectStore store;
    private final LakeLayout layout;
    private final Clock clock;
    private final ControlDocuments documents;

    public LandingIngest(ObjectStore store, LakeLayout layout, Clock clock) {
        this.store = store;
        this.documents = new ControlDocuments(store);
        this.layout = layout;
        this.clock = clock;
    }

    /** Ingests one landed object; {@code sink} receives {@code file-landed} for a new or unfinished run. */
    public IngestOutcome ingest(LandedObject landed, EventSink sink) {
        Optional<StoredObject> current = store.head(landed.location());
        if (current.isEmpty()) {
            LOG.warnf("Landing object %s no longer exists; nothing to ingest", landed.location());
            return new IngestOutcome(IngestOutcome.Kind.MISSING, null, null);
        }
        StoredObject object = current.get();
        String fingerprint = landingFingerprint(object);
        Location handled = layout.landingHandled(fingerprint);
        if (store.head(handled).isPresent()) {
            HandledLanding record = documents.read(handled, HandledLanding.class);
            LOG.infof("Landing %s was already handled as run %s", landed.location(), record.runId());
            return new IngestOutcome(IngestOutcome.Kind.REDELIVERED, record.runId(), record.sha256());
        }

        Digest digest = hash(object.location());
        Instant now = clock.instant();
        LocalDate ingestDate = LocalDate.ofInstant(now, ZoneOffset.UTC);
        RunId runId = RunId.newRun(now);
        ContentClaim proposed = new ContentClaim(runId.value(), digest.sha256(), digest.size(), ingestDate,
                object.location(), object.etag(), layout.bronzeFile(ingestDate, runId, bronzeFileName(object.location())), now);

        ContentClaim claim;
        IngestOutcome.Kind kind;
        try {
            documents.create(layout.contentClaim(digest.sha256()), proposed);
            claim = proposed;
            kind = IngestOutcome.Kind.INGESTED;
        } catch (ObjectAlreadyExistsException e) {
            claim = documents.read(layout.contentClaim(digest.sha256()), ContentClaim.class);
            if (claim.source().equals(object.location()) && claim.sourceEtag().equals(object.etag())) {
                kind = IngestOutcome.Kind.REDELIVERED;
            } else {
                kind = IngestOutcome.Kind.DUPLICATE_CONTENT;
                recordDuplicate(claim, object, fingerprint, now);
            }
        }

        completeRun(claim, sink);
        documents.createIfAbsent(handled, new HandledLanding(object.location(), object.etag(), claim.runId(), claim.sha256(),
                kind.name(), now));
        return new IngestOutcome(kind, claim.runId(), claim.sha256());
    }

    /** Copies to Bronze if not there yet and emits {@code file-landed} if not emitted yet. */
    private void completeRun(ContentClaim claim, EventSink sink) {
        if (store.head(claim.bronze()).isEmpty()) {
            copyToBronze(claim);
        }
        Location emitted = layout.contentEmitted(claim.sha256());
        if (store.head(emitted).isPresent()) {
            return;
        }
        sink.send(LakeEvents.fileLanded(fileLandedOf(claim)));
        documents.createIfAbsent(emitted, new Emitted(claim.runId(), clock.instant()));
        LOG.infof("Run %s landed: %s -> %s (%d bytes, sha256 %s)", claim.runId(), claim.source(), claim.bronze(),
                claim.sizeBytes(), claim.sha256());
    }

    /** The {@code file-landed} payload of a claimed run. */
    public static FileLanded fileLandedOf(ContentClaim claim) {
        return new FileLanded(claim.runId(), LakeLayout.DATASET_PATH, SCHEMA_VERSION, FileLanded.KIND_INGEST,
                claim.ingestDate(), claim.source(), claim.bronze(), claim.sha256(), claim.sizeBytes(), claim.claimedAt(), List.of());
    }

    private void copyToBronze(ContentClaim claim) {
        MessageDigest sha = ControlDocuments.sha256();
        try (InputStream in = new DigestInputStream(store.open(claim.source()), sha)) {
            store.create(claim.bronze(), in, claim.sizeBytes(), "application/octet-stream");
        } catch (ObjectAlreadyExistsException e) {
            LOG.infof("Bronze copy %s already exists (a concurrent delivery made it)", claim.bronze());
            return;
        } catch (IOException e) {
            throw new StorageException("Cannot copy " + claim.source() + " to " + claim.bronze() + ": " + e.getMessage(), true, e);
        }
        String copied = HexFormat.of().formatHex(sha.digest());
        if (!copied.equals(claim.sha256())) {
            throw new IllegalStateException("Cannot land " + claim.source() + ": its content changed while it was copied"
                    + " (sha256 " + claim.sha256() + " when claimed, " + copied + " when copied to " + claim.bronze() + ")");
        }
    }

    private void recordDuplicate(ContentClaim claim, StoredObject object, String fingerprint, Instant now) {
        DuplicateLanding duplicate = new DuplicateLanding(claim.sha256(), object.location(), object.etag(), claim.runId(),
                claim.source(), now);
        documents.createIfAbsent(layout.duplicateLanding(claim.sha256(), fingerprint), duplicate);
        LOG.warnf("Landing %s has the same content (sha256 %s) as run %s from %s: recorded as a duplicate landing, no new run",
                object.location(), claim.sha256(), claim.runId(), claim.source());
    }

    /** A stable name for one version of one landing object. */
    public static String landingFingerprint(StoredObject object) {
        MessageDigest sha = ControlDocuments.sha256();
        sha.update((object.location().bucket() + "\n" + object.location().key() + "\n" + object.etag())
                .getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    private Digest hash(Location location) {
        MessageDigest sha = ControlDocuments.sha256();
        long size = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = store.open(location)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
                size += n;
            }
        } catch (IOException e) {
            throw new StorageException("Cannot read landing object " + location + ": " + e.getMessage(), true, e);
        }
        return new Digest(HexFormat.of().formatHex(sha.digest()), size);
    }





    private record Digest(String sha256, long size) {
    }

    /** The handled marker of one landing (bucket, key, ETag). */
    public record HandledLanding(Location source, String sourceEtag, String runId, String sha256, String outcome, Instant handledAt) {
    }

    private record Emitted(String runId, Instant emittedAt) {
    }

    /**
     * The name the landed file gets in Bronze: its landing file name, except that control characters
     * (C0, DEL, C1) become {@code _} and a name that is empty, {@code .} or {@code ..} (a key ending in
     * {@code /}, {@code /.} or {@code /..}) becomes {@code landed-file}, so a hostile landing key can never
     * address another Bronze path or break a log line. The original key stays in the run's claim.
     */
    static String bronzeFileName(Location landed) {
        String name = landed.fileName();
        StringBuilder safe = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            safe.append(c < 0x20 || (c >= 0x7F && c <= 0x9F) ? '_' : c);
        }
        String result = safe.toString();
        return result.isEmpty() || result.equals(".") || result.equals("..") ? "landed-file" : result;
    }
}
