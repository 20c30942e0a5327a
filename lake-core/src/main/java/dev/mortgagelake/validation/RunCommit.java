package dev.mortgagelake.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.manifest.PartitionManifest;
import dev.mortgagelake.parquet.LakeParquet;
import dev.mortgagelake.storage.ParallelRequests;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectAlreadyExistsException;
import dev.mortgagelake.storage.ObjectNotFoundException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.validation.contract.ContractV1;
import dev.mortgagelake.validation.duplicate.PublishedRowIndex;
import dev.mortgagelake.validation.quarantine.StagedQuarantine;
import dev.mortgagelake.validation.silver.SilverSchemaV1;
import dev.mortgagelake.validation.silver.StagedPart;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The commit protocol of every run validation writes, a Bronze run or a retry run: the guarantees
 * "commit order" and "idempotent" of {@link RunValidator} are enforced here.
 * <ol>
 *   <li>Data files (Silver parts, the quarantine, condemned and retried-rows files, the run's
 *       published-row index shards), each created once;</li>
 *   <li>then every partition's {@code manifest.json};</li>
 *   <li>then every partition's {@code _SUCCESS};</li>
 *   <li>last the run's validation record, created once ({@link #commitRecord}).</li>
 * </ol>
 * An object that exists already is kept when it has the same bytes (an earlier attempt of the run),
 * replaced when it has other bytes and its commit marker is absent (never trusted by a reader), and is
 * a {@link RunConflictException} when its commit marker exists. Rows in = rows out is checked against
 * the staged files before the first upload. Thread-safe if the store is.
 */
final class RunCommit {

    private static final Logger LOG = Logger.getLogger(RunCommit.class);

    private static final String JSON = "application/json";
    private static final String MARKER_CONTENT_TYPE = "text/plain";
    private static final int READ_BUFFER = 64 * 1024;

    private final ObjectStore store;
    private final LakeLayout layout;
    private final Clock clock;

    RunCommit(ObjectStore store, LakeLayout layout, Clock clock) {
        this.store = store;
        this.layout = layout;
        this.clock = clock;
    }

    /**
     * What a run was read from, copied into its manifests and validation record.
     *
     * @param input the object the rows were read from (the Bronze file, or a retried batch)
     * @param retry for a retry run, its link to the batch ({@code retriedRows} is filled in by the commit); else null
     */
    record RunInput(RunId runId, String dataset, String runKind, LocalDate ingestDate, Location input, List<String> supersedes,
                    RunValidated.RetryOf retry) {
    }

    /**
     * Uploads a run's staged rows in commit order and returns its result; the caller then stores it
     * with {@link #commitRecord}.
     *
     * @throws IllegalStateException if the staged files do not balance (a bug; nothing is uploaded)
     */
    RunValidated commitRows(RunInput run, StagedRun staged) {
        RunId runId = run.runId();
        RunValidated.Counts counts = staged.counts();
        long stagedSilver = staged.parts.stream().mapToLong(StagedPart::rows).sum();
        long stagedQuarantine = rows(staged.quarantine);
        long stagedCondemned = rows(staged.condemned);
        long stagedIndex = staged.indexShards.stream().mapToLong(PublishedRowIndex.StagedShard::entries).sum();
        long stagedRetried = rows(staged.retried);
        boolean lineageBalanced = run.retry() == null ? staged.retried == null : stagedRetried == staged.silverRows;
        if (!counts.balanced() || stagedSilver != staged.silverRows || stagedQuarantine != staged.quarantinedRows
                || stagedCondemned != staged.condemnedRows || stagedIndex != staged.silverRows || !lineageBalanced) {
            throw new IllegalStateException("Run " + runId + " does not balance: " + counts + ", staged Silver rows "
                    + stagedSilver + ", staged quarantine rows " + stagedQuarantine + ", staged condemned rows " + stagedCondemned
                    + ", staged index entries " + stagedIndex + ", staged retried rows " + stagedRetried);
        }
        Location recordLocation = layout.validationRecord(runId);

        Map<YearMonth, List<StagedPart>> byMonth = new LinkedHashMap<>();
        for (StagedPart part : staged.parts) {
            byMonth.computeIfAbsent(part.month(), m -> new ArrayList<>()).add(part);
        }
        // 1. Data files: independent objects, uploaded concurrently (ParallelRequests).
        List<Runnable> uploads = new ArrayList<>();
        for (StagedPart part : staged.parts) {
            Location target = layout.silverPart(part.month(), SilverSchemaV1.SCHEMA_VERSION, runId, part.index());
            uploads.add(() -> putData(target, part.file(), part.sha256(), part.sizeBytes(),
                    layout.silverSuccess(part.month(), SilverSchemaV1.SCHEMA_VERSION, runId)));
        }
        RunValidated.QuarantineBatch batch = null;
        if (staged.quarantine != null) {
            Location target = layout.invalidRows(run.ingestDate(), runId);
            uploads.add(() -> putData(target, staged.quarantine, recordLocation));
            batch = new RunValidated.QuarantineBatch(target, staged.quarantine.rows(), staged.quarantine.errorCounts());
        }
        RunValidated.CondemnedBatch condemnedBatch = null;
        if (staged.condemned != null) {
            Location target = layout.condemnedRows(run.ingestDate(), runId);
            uploads.add(() -> putData(target, staged.condemned, recordLocation));
            condemnedBatch = new RunValidated.CondemnedBatch(target, staged.condemned.rows(), staged.condemned.errorCounts());
        }
        RunValidated.RetryOf retry = run.retry();
        if (retry != null) {
            Location retried = null;
            if (staged.retried != null) {
                retried = layout.retriedRows(run.ingestDate(), runId);
                Location target = retried;
                uploads.add(() -> putData(target, staged.retried, recordLocation));
            }
            retry = new RunValidated.RetryOf(retry.batchRunId(), retry.batchKind(), retry.batch(), retry.attempt(), retry.reason(),
                    retry.requestId(), retried);
        }
        // The run's rows in the published-row index: they count once publish-service promotes the run.
        for (PublishedRowIndex.StagedShard shard : staged.indexShards) {
            uploads.add(() -> putData(layout.rowIndexShard(ContractV1.SCHEMA_VERSION, shard.shard(), runId), shard.file(),
                    shard.sha256(), shard.sizeBytes(), recordLocation));
        }
        ParallelRequests.runAll(uploads);
        // 2. Manifests, once every data file is in place.
        Instant createdAt = clock.instant();
        List<RunValidated.Partition> partitions = new ArrayList<>();
        List<Runnable> manifests = new ArrayList<>();
        for (Map.Entry<YearMonth, List<StagedPart>> entry : byMonth.entrySet()) {
            YearMonth month = entry.getKey();
            List<PartitionManifest.FileEntry> files = new ArrayList<>();
            long rows = 0;
            for (StagedPart part : entry.getValue()) {
                Location key = layout.silverPart(month, SilverSchemaV1.SCHEMA_VERSION, runId, part.index());
                files.add(new PartitionManifest.FileEntry(key.key(), part.sizeBytes(), part.sha256(), part.rows()));
                rows += part.rows();
            }
            PartitionManifest manifest = new PartitionManifest(PartitionManifest.CURRENT_VERSION, run.dataset(), runId.value(),
                    run.runKind(), SilverSchemaV1.SCHEMA_VERSION, month.toString(), rows, files,
                    new PartitionManifest.Input(run.input(), staged.inputSha256, staged.inputBytes), counts, createdAt);
            Location manifestLocation = layout.silverManifest(month, SilverSchemaV1.SCHEMA_VERSION, runId);
            manifests.add(() -> putDocument(manifestLocation, manifest.toJson(), PartitionManifest::fromJson, manifest::sameContentAs,
                    layout.silverSuccess(month, SilverSchemaV1.SCHEMA_VERSION, runId), "manifest"));
            partitions.add(new RunValidated.Partition(month.toString(), rows, manifestLocation));
        }
        ParallelRequests.runAll(manifests);
        // 3. _SUCCESS markers, once every manifest is in place.
        ParallelRequests.runAll(byMonth.keySet().stream()
                .map(month -> (Runnable) () -> createMarker(layout.silverSuccess(month, SilverSchemaV1.SCHEMA_VERSION, runId)))
                .toList());
        RunValidated.Drift drift = staged.driftWithEnumValues();
        LOG.infof("Run %s validated: rows_read=%d silver=%d quarantined=%d condemned=%d partitions=%d drift=%s new enum values=%s",
                runId, counts.rowsRead(), counts.silver(), counts.quarantined(), counts.condemned(), partitions.size(),
                drift.unknownColumns(), drift.newEnumValues());
        return new RunValidated(runId.value(), run.dataset(), ContractV1.SCHEMA_VERSION, run.runKind(), run.ingestDate(),
                run.input(), staged.inputSha256, RunValidated.OUTCOME_VALIDATED, counts, partitions, batch, null, drift,
                run.supersedes(), clock.instant(), condemnedBatch, retry);
    }

    private static long rows(StagedQuarantine staged) {
        return staged == null ? 0 : staged.rows();
    }

    private void putData(Location target, StagedQuarantine staged, Location commitMarker) {
        putData(target, staged.file(), staged.sha256(), staged.sizeBytes(), commitMarker);
    }

    /**
     * Creates a data object. If it exists already (an earlier attempt of this run): same bytes, keep
     * it; other bytes and {@code commitMarker} absent, replace it (never trusted by any reader);
     * other bytes and {@code commitMarker} present, conflict.
     */
    private void putData(Location target, Path file, String sha256, long sizeBytes, Location commitMarker) {
        try {
            store.create(target, file, LakeParquet.CONTENT_TYPE);
        } catch (ObjectAlreadyExistsException e) {
            if (hasContent(target, sha256, sizeBytes)) {
                LOG.debugf("%s already holds the same bytes (earlier attempt); kept", target);
                return;
            }
            if (store.head(commitMarker).isPresent()) {
                throw new RunConflictException("Cannot validate: " + target + " was committed (" + commitMarker
                        + " exists) with other content than this validation produced (sha256 " + sha256 + ")");
            }
            LOG.warnf("%s holds output of an interrupted attempt with other content; replacing it (not committed)", target);
            store.replace(target, file, LakeParquet.CONTENT_TYPE);
        }
    }

    /**
     * Creates a control document. If it exists already: same content (ignoring its creation time),
     * keep it; otherwise replace it unless {@code commitMarker} exists (then conflict). An unreadable
     * existing document counts as other content.
     */
    <T> void putDocument(Location target, byte[] json, Function<byte[], T> parse, Predicate<T> sameContent,
                         Location commitMarker, String what) {
        try {
            store.create(target, json, JSON);
        } catch (ObjectAlreadyExistsException e) {
            T existing;
            try {
                existing = parse.apply(store.read(target));
            } catch (IllegalArgumentException unreadable) {
                existing = null;
            }
            if (existing != null && sameContent.test(existing)) {
                return;
            }
            if (store.head(commitMarker).isPresent()) {
                throw new RunConflictException("Cannot validate: the committed " + what + " " + target
                        + " differs from what this validation produced");
            }
            LOG.warnf("%s holds a %s of an interrupted attempt with other content; replacing it (not committed)", target, what);
            store.replace(target, json, JSON);
        }
    }

    private void createMarker(Location marker) {
        try {
            store.create(marker, new byte[0], MARKER_CONTENT_TYPE);
        } catch (ObjectAlreadyExistsException e) {
            LOG.debugf("%s already exists (earlier attempt)", marker);
        }
    }

    /**
     * Stores the run's validation record, once; if a concurrent attempt stored it first, returns that
     * record instead.
     */
    RunValidated commitRecord(Location recordLocation, RunValidated result) {
        byte[] json;
        try {
            json = EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode the validation record of run " + result.runId(), e);
        }
        try {
            store.create(recordLocation, json, JSON);
            return result;
        } catch (ObjectAlreadyExistsException e) {
            LOG.infof("Run %s was validated concurrently; returning the stored record", result.runId());
            return readRecord(recordLocation).orElseThrow(() -> new StorageException(
                    "The validation record " + recordLocation + " exists but cannot be read back", true));
        }
    }

    /** The stored validation record, if the run was validated. */
    Optional<RunValidated> readRecord(Location recordLocation) {
        byte[] bytes;
        try {
            bytes = store.read(recordLocation);
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(EventCodec.mapper().readValue(bytes, RunValidated.class));
        } catch (IOException e) {
            throw new StorageException("The validation record " + recordLocation + " is not a readable run-validated document: "
                    + e.getMessage(), false, e);
        }
    }

    private boolean hasContent(Location target, String sha256, long sizeBytes) {
        if (store.head(target).map(o -> o.size() != sizeBytes).orElse(true)) {
            return false;
        }
        try (InputStream in = store.open(target)) {
            return sha256(in).equals(sha256);
        } catch (IOException e) {
            throw new StorageException("Cannot read " + target + ": " + e.getMessage(), true, e);
        }
    }

    /** Lower-case hex SHA-256 of everything {@code in} holds. */
    static String sha256(InputStream in) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
        try (InputStream digesting = new DigestInputStream(in, digest)) {
            byte[] buffer = new byte[READ_BUFFER];
            while (digesting.read(buffer) >= 0) {
                // Only the digest matters.
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static Path createStagingDirectory(Path workDir, RunId runId) {
        try {
            Files.createDirectories(workDir);
            return Files.createTempDirectory(workDir, "validate-" + runId.value() + "-");
        } catch (IOException e) {
            throw new StorageException("Cannot create a staging directory in " + workDir + ": " + e.getMessage(), false, e);
        }
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf(e, "Cannot delete the staging directory %s", dir);
        }
    }
}
