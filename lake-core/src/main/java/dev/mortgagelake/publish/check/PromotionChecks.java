package dev.mortgagelake.publish.check;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectNotFoundException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.storage.StoredObject;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies, before promotion, that a validated run's Silver output is complete and untampered:
 * <ol>
 *   <li>the outcome is {@code VALIDATED}, the counts balance and the schema version is the table's;</li>
 *   <li>for every partition: its manifest is where the layout puts it, {@code _SUCCESS} exists, the
 *       manifest is readable and names this run and partition, every listed file lies in the
 *       partition directory, exists, has the listed size and its streamed SHA-256 matches, the
 *       manifest's rows equal the sum of its files' rows and the event's rows for the partition;</li>
 *   <li>the partitions' rows add up to the event's Silver count.</li>
 * </ol>
 * Every data problem is collected as a {@link CheckFailure}; nothing stops at the first one, so a
 * held run shows everything that is wrong. Infrastructure problems are not data problems: a
 * {@link StorageException} other than "not found" propagates, so the caller retries the check later
 * instead of holding a good run.
 *
 * <p>Stateless and thread-safe. Cost: one HEAD per file and marker, one GET per manifest, and every
 * data file streamed once for its checksum.
 */
public final class PromotionChecks {

    private static final int BUFFER = 64 * 1024;

    private final ObjectStore store;
    private final LakeLayout layout;
    private final String schemaVersion;

    /** @param schemaVersion the schema version of the table runs are promoted into, e.g. {@code v1} */
    public PromotionChecks(ObjectStore store, LakeLayout layout, String schemaVersion) {
        this.store = Objects.requireNonNull(store, "store");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.schemaVersion = Objects.requireNonNull(schemaVersion, "schemaVersion");
    }

    /** Checks {@code run}; never throws for data problems. */
    public PromotionCheckResult check(RunValidated run) {
        Objects.requireNonNull(run, "run");
        List<CheckFailure> failures = new ArrayList<>();
        Map<String, List<DataFile>> files = new LinkedHashMap<>();
        String runId = run.runId();

        if (!RunValidated.OUTCOME_VALIDATED.equals(run.outcome())) {
            failures.add(new CheckFailure(CheckCode.OUTCOME_NOT_VALIDATED,
                    "Run " + runId + " has outcome " + run.outcome() + ", only " + RunValidated.OUTCOME_VALIDATED + " runs are promoted"
                            + (run.fileRejection() == null ? "" : " (" + run.fileRejection().code() + ": " + run.fileRejection().message() + ")")));
        }
        RunId parsedRunId = parseRunId(runId, failures);
        if (!schemaVersion.equals(run.schemaVersion())) {
            failures.add(new CheckFailure(CheckCode.SCHEMA_VERSION_MISMATCH,
                    "Run " + runId + " was validated against schema " + run.schemaVersion() + ", the table is schema " + schemaVersion));
        }
        RunValidated.Counts counts = run.counts();
        if (counts == null) {
            failures.add(new CheckFailure(CheckCode.COUNTS_MISSING, "Run " + runId + " reports no row counts"));
        } else if (!counts.balanced()) {
            failures.add(new CheckFailure(CheckCode.COUNTS_UNBALANCED, "Run " + runId + " read " + counts.rowsRead()
                    + " rows but accounts for " + (counts.silver() + counts.quarantined() + counts.condemned()) + " (silver "
                    + counts.silver() + " + quarantined " + counts.quarantined() + " + condemned " + counts.condemned() + ")"));
        }

        long partitionRows = 0;
        Set<String> seen = new HashSet<>();
        for (RunValidated.Partition partition : run.partitions()) {
            partitionRows += partition.rows();
            if (!seen.add(String.valueOf(partition.yearMonth()))) {
                failures.add(new CheckFailure(CheckCode.PARTITION_INVALID, "Partition " + partition.yearMonth() + " is listed twice"));
                continue;
            }
            checkPartition(runId, parsedRunId, partition, failures).ifPresent(list -> files.put(partition.yearMonth(), list));
        }
        if (counts != null && partitionRows != counts.silver()) {
            failures.add(new CheckFailure(CheckCode.SILVER_ROWS_MISMATCH, "Run " + runId + " reports " + counts.silver()
                    + " Silver rows but its partitions hold " + partitionRows));
        }
        return PromotionCheckResult.of(runId, failures, failures.isEmpty() ? files : Map.of());
    }

    private static RunId parseRunId(String runId, List<CheckFailure> failures) {
        try {
            return RunId.of(runId);
        } catch (IllegalArgumentException e) {
            failures.add(new CheckFailure(CheckCode.RUN_ID_INVALID, e.getMessage()));
            return null;
        }
    }

    /** Checks one partition; returns its verified files, or empty if anything about it failed. */
    private Optional<List<DataFile>> checkPartition(String runId, RunId parsedRunId, RunValidated.Partition partition,
                                                    List<CheckFailure> failures) {
        int before = failures.size();
        String name = "Partition " + partition.yearMonth() + " of run " + runId;
        YearMonth month;
        try {
            month = YearMonth.parse(String.valueOf(partition.yearMonth()));
        } catch (DateTimeParseException e) {
            failures.add(new CheckFailure(CheckCode.PARTITION_INVALID, name + ": '" + partition.yearMonth() + "' is not YYYY-MM"));
            return Optional.empty();
        }
        Location manifestLocation = partition.manifest();
        if (manifestLocation == null) {
            failures.add(new CheckFailure(CheckCode.PARTITION_INVALID, name + " names no manifest"));
            return Optional.empty();
        }
        if (parsedRunId != null) {
            Location expected = layout.silverManifest(month, schemaVersion, parsedRunId);
            if (!expected.equals(manifestLocation)) {
                failures.add(new CheckFailure(CheckCode.MANIFEST_LOCATION_UNEXPECTED,
                        name + ": manifest is at " + manifestLocation + ", the layout puts it at " + expected));
            }
        }
        Location success = manifestLocation.sibling(LakeLayout.SUCCESS_MARKER);
        if (store.head(success).isEmpty()) {
            failures.add(new CheckFailure(CheckCode.SUCCESS_MARKER_MISSING, name + ": no " + success + "; the partition may be incomplete"));
        }

        Optional<ManifestReading> read = readManifest(name, manifestLocation, failures);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        ManifestReading manifest = read.get();
        if (!runId.equals(manifest.runId())) {
            failures.add(new CheckFailure(CheckCode.MANIFEST_RUN_MISMATCH, name + ": manifest " + manifestLocation
                    + " belongs to run " + manifest.runId()));
        }
        if (!String.valueOf(partition.yearMonth()).equals(manifest.yearMonth())) {
            failures.add(new CheckFailure(CheckCode.MANIFEST_PARTITION_MISMATCH, name + ": manifest " + manifestLocation
                    + " describes partition " + manifest.yearMonth()));
        }

        String directory = manifestLocation.key().substring(0, manifestLocation.key().lastIndexOf('/') + 1);
        List<DataFile> verified = new ArrayList<>();
        long fileRows = 0;
        Set<String> keys = new HashSet<>();
        for (ManifestReading.ManifestFile file : manifest.files()) {
            if (file == null || file.key() == null || file.sizeBytes() == null || file.sha256() == null || file.rows() == null
                    || file.rows() < 0) {
                failures.add(new CheckFailure(CheckCode.MANIFEST_UNREADABLE, name + ": manifest " + manifestLocation
                        + " lists a file without key, size_bytes, sha256 or a row count: " + file));
                continue;
            }
            fileRows += file.rows();
            if (!keys.add(file.key())) {
                failures.add(new CheckFailure(CheckCode.MANIFEST_UNREADABLE, name + ": manifest lists " + file.key() + " twice"));
                continue;
            }
            checkFile(name, runId, directory, manifestLocation.bucket(), file, failures).ifPresent(verified::add);
        }
        if (fileRows != manifest.rows()) {
            failures.add(new CheckFailure(CheckCode.MANIFEST_ROWS_MISMATCH, name + ": manifest says " + manifest.rows()
                    + " rows but its files hold " + fileRows));
        }
        if (manifest.rows() != partition.rows()) {
            failures.add(new CheckFailure(CheckCode.PARTITION_ROWS_MISMATCH, name + ": the event says " + partition.rows()
                    + " rows, the manifest " + manifest.rows()));
        }
        return failures.size() == before ? Optional.of(verified) : Optional.empty();
    }

    private Optional<ManifestReading> readManifest(String name, Location location, List<CheckFailure> failures) {
        byte[] bytes;
        try {
            bytes = store.read(location);
        } catch (ObjectNotFoundException e) {
            failures.add(new CheckFailure(CheckCode.MANIFEST_MISSING, name + ": no manifest at " + location));
            return Optional.empty();
        }
        ManifestReading manifest;
        try {
            manifest = EventCodec.mapper().readValue(bytes, ManifestReading.class);
        } catch (IOException | IllegalArgumentException e) {
            failures.add(new CheckFailure(CheckCode.MANIFEST_UNREADABLE, name + ": manifest " + location + " is not valid: "
                    + firstLine(e.getMessage())));
            return Optional.empty();
        }
        if (manifest == null || manifest.rows() == null || manifest.files() == null || manifest.rows() < 0) {
            failures.add(new CheckFailure(CheckCode.MANIFEST_UNREADABLE, name + ": manifest " + location
                    + " lacks rows or files"));
            return Optional.empty();
        }
        return Optional.of(manifest);
    }

    private Optional<DataFile> checkFile(String name, String runId, String directory, String bucket,
                                         ManifestReading.ManifestFile file, List<CheckFailure> failures) {
        String key = file.key();
        String fileName = key.startsWith(directory) ? key.substring(directory.length()) : null;
        if (fileName == null || fileName.isEmpty() || fileName.contains("/")
                || fileName.equals(LakeLayout.MANIFEST) || fileName.equals(LakeLayout.SUCCESS_MARKER)) {
            failures.add(new CheckFailure(CheckCode.FILE_OUTSIDE_PARTITION, name + ": listed file " + key
                    + " is not a data file directly under " + directory));
            return Optional.empty();
        }
        Location location = new Location(bucket, key);
        Optional<StoredObject> head = store.head(location);
        if (head.isEmpty()) {
            failures.add(new CheckFailure(CheckCode.FILE_MISSING, name + ": listed file " + location + " does not exist"));
            return Optional.empty();
        }
        if (head.get().size() != file.sizeBytes()) {
            failures.add(new CheckFailure(CheckCode.FILE_SIZE_MISMATCH, name + ": " + location + " has " + head.get().size()
                    + " bytes, the manifest lists " + file.sizeBytes()));
            return Optional.empty();
        }
        Optional<String> sha256 = sha256(location);
        if (sha256.isEmpty()) {
            failures.add(new CheckFailure(CheckCode.FILE_MISSING, name + ": listed file " + location + " disappeared while being read"));
            return Optional.empty();
        }
        if (!sha256.get().equalsIgnoreCase(file.sha256())) {
            failures.add(new CheckFailure(CheckCode.FILE_CHECKSUM_MISMATCH, name + ": " + location + " has SHA-256 " + sha256.get()
                    + ", the manifest lists " + file.sha256()));
            return Optional.empty();
        }
        return Optional.of(new DataFile(key, runId, file.rows(), file.sizeBytes(), sha256.get()));
    }

    /** Streams the object through SHA-256; empty if it does not exist. */
    private Optional<String> sha256(Location location) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
        try (InputStream in = store.open(location)) {
            byte[] buffer = new byte[BUFFER];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("Cannot read " + location + " for its checksum: " + e.getMessage(), true, e);
        }
        return Optional.of(HexFormat.of().formatHex(digest.digest()));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
