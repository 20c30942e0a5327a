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
import dev.mortgagelake.storage.PreconditionFailedException;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.storage.StoredObject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
 *   <li>Hash the landing object (sha256, size), reading exactly the version whose ETag the HEAD
 *       of step 1 saw ({@code If-Match}).</li>
 *   <li>Claim the content: create {@code contentClaim(sha256)} once. The creator owns the content and
 *       names the run. If the claim exists and came from this same landing, this is a redelivery and
 *       the claimed run is completed; if it came from another landing, the landing is a duplicate:
 *       recorded under {@code duplicate-landings/}, never a second run.</li>
 *   <li>Copy the landing object to the run's Bronze key inside the store (server-side, create-once),
 *       pinned to that same ETag; if the landing object changed underneath, the copy fails loudly.</li>
 *   <li>Emit {@code file-landed} unless the content's {@code .emitted} marker exists, then set it.</li>
 *   <li>Mark the landing handled.</li>
 * </ol>
 * Bronze is never overwritten, and the same content never becomes a second run.
 *
 * <p>Why the recorded sha256 is the sha256 of the Bronze bytes without reading them twice: the
 * hash and the copy both name the landing object's ETag as a precondition, and an ETag names one
 * version of an object's content (S3 gives a new object a new ETag unless its bytes are the same), so
 * both see the same bytes. The bytes pass through this JVM once, to be hashed: the content claim is
 * keyed by the sha256, so it must be known before the copy, and S3's own checksums cannot stand in
 * (an object uploaded in parts has only a checksum of part checksums, and not every S3-compatible
 * store computes them).
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
        return ingest(landed, sink, 3);
    }

    private IngestOutcome ingest(LandedObject landed, EventSink sink, int attempts) {
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

        Digest digest;
        try {
            digest = hash(object);
        } catch (PreconditionFailedException changed) {
            if (attempts <= 1) {
                throw changed;
            }
            LOG.infof("Landing object %s changed while it was hashed; ingesting its current version", landed.location());
            return ingest(landed, sink, attempts - 1);
        }
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

        completeRun(claim, object, sink);
        documents.createIfAbsent(handled, new HandledLanding(object.location(), object.etag(), claim.runId(), claim.sha256(),
                kind.name(), now));
        return new IngestOutcome(kind, claim.runId(), claim.sha256());
    }

    /**
     * Copies {@code hashed} (the landing version just hashed, whose sha256 is the claim's) to Bronze
     * if not there yet and emits {@code file-landed} if not emitted yet.
     */
    private void completeRun(ContentClaim claim, StoredObject hashed, EventSink sink) {
        if (store.head(claim.bronze()).isEmpty()) {
            copyToBronze(claim, hashed);
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

    /**
     * Copies {@code hashed} to Bronze inside the store. The copy is pinned to the ETag of the version
     * that was hashed, so Bronze holds the bytes whose sha256 the claim names (the claim is keyed by
     * that sha256: a duplicate landing that completes an unfinished run holds the same bytes as the
     * claim's source). If the landing object changed since it was hashed, nothing is copied and the
     * landing fails loudly (a new version of a landing object brings a notification of its own).
     */
    private void copyToBronze(ContentClaim claim, StoredObject hashed) {
        try {
            store.copy(hashed.location(), claim.bronze(), hashed.etag());
        } catch (ObjectAlreadyExistsException e) {
            LOG.infof("Bronze copy %s already exists (a concurrent delivery made it)", claim.bronze());
        } catch (PreconditionFailedException e) {
            throw new IllegalStateException("Cannot land " + hashed.location() + ": its content changed after it was hashed"
                    + " (ETag " + hashed.etag() + ", sha256 " + claim.sha256() + ")", e);
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

    /** The sha256 and size of exactly the version {@code object} describes (read with {@code If-Match} on its ETag). */
    private Digest hash(StoredObject object) {
        Location location = object.location();
        MessageDigest sha = ControlDocuments.sha256();
        long size = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = store.openIfMatch(location, object.etag())) {
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
