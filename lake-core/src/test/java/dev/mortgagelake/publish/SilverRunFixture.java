package dev.mortgagelake.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small Silver runs through an {@link ObjectStore} exactly as the layout puts them (part
 * files, {@code manifest.json}, {@code _SUCCESS} last) and builds their {@code run-validated}
 * payloads. The part files are not Parquet: promotion only looks at sizes, checksums and counts.
 */
public final class SilverRunFixture {

    public static final LakeBuckets BUCKETS = new LakeBuckets("lake-landing", "lake-bronze", "lake-silver", "lake-gold", "lake-quarantine");
    public static final LakeLayout LAYOUT = new LakeLayout(BUCKETS);
    public static final String SCHEMA = "v1";
    public static final Instant NOW = Instant.parse("2026-01-21T12:00:00Z");

    private final ObjectStore store;

    public SilverRunFixture(ObjectStore store) {
        this.store = store;
    }

    /** A new run id. */
    public static RunId newRun() {
        return RunId.newRun(NOW);
    }

    /** Writes a complete run with one partition per month, each of two files (3 and 2 rows); 1 row quarantined. */
    public RunValidated writeRun(RunId runId, String... months) {
        List<RunValidated.Partition> partitions = new ArrayList<>();
        for (String month : months) {
            partitions.add(writePartition(runId, month, true, 3, 2));
        }
        return runValidated(runId, 1, partitions);
    }

    /**
     * Writes one partition of {@code runId}: a part file per entry of {@code rowsPerFile}, the
     * manifest, then {@code _SUCCESS} (unless {@code success} is false: an interrupted writer).
     */
    public RunValidated.Partition writePartition(RunId runId, String month, boolean success, long... rowsPerFile) {
        YearMonth yearMonth = YearMonth.parse(month);
        List<Map<String, Object>> files = new ArrayList<>();
        long rows = 0;
        long size = 0;
        for (int part = 0; part < rowsPerFile.length; part++) {
            Location location = LAYOUT.silverPart(yearMonth, SCHEMA, runId, part);
            byte[] content = content(runId, month, part, rowsPerFile[part]);
            store.create(location, content, "application/vnd.apache.parquet");
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("key", location.key());
            file.put("size_bytes", content.length);
            file.put("sha256", sha256(content));
            file.put("rows", rowsPerFile[part]);
            files.add(file);
            rows += rowsPerFile[part];
            size += content.length;
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("run_id", runId.value());
        manifest.put("schema_version", SCHEMA);
        manifest.put("year_month", month);
        manifest.put("rows", rows);
        manifest.put("files", files);
        manifest.put("input", Map.of("key", "bronze/mortgages/transactions/ingest_date=2026-01-21/run_id=" + runId + "/tx.csv.gz",
                "sha256", sha256(runId.value().getBytes(StandardCharsets.UTF_8))));
        manifest.put("created_at", NOW.toString());
        manifest.put("totals", Map.of("rows", rows, "files", files.size(), "size_bytes", size));
        Location manifestLocation = LAYOUT.silverManifest(yearMonth, SCHEMA, runId);
        store.create(manifestLocation, json(manifest), "application/json");
        if (success) {
            store.create(LAYOUT.silverSuccess(yearMonth, SCHEMA, runId), new byte[0], "text/plain");
        }
        return new RunValidated.Partition(month, rows, manifestLocation);
    }

    /** The {@code run-validated} payload of a run with these partitions; counts balance. */
    public static RunValidated runValidated(RunId runId, long quarantined, List<RunValidated.Partition> partitions) {
        long silver = partitions.stream().mapToLong(RunValidated.Partition::rows).sum();
        return new RunValidated(runId.value(), LakeLayout.DATASET_PATH, SCHEMA, "INGEST", LocalDate.of(2026, 1, 21),
                new Location(BUCKETS.bronze(), "bronze/mortgages/transactions/ingest_date=2026-01-21/run_id=" + runId + "/tx.csv.gz"),
                sha256(runId.value().getBytes(StandardCharsets.UTF_8)), RunValidated.OUTCOME_VALIDATED,
                new RunValidated.Counts(silver + quarantined, silver, quarantined, 0), partitions, null, null, null, null, NOW);
    }

    /** The same payload with other partitions and counts. */
    public static RunValidated withCounts(RunValidated run, RunValidated.Counts counts, List<RunValidated.Partition> partitions) {
        return new RunValidated(run.runId(), run.dataset(), run.schemaVersion(), run.runKind(), run.ingestDate(), run.bronze(),
                run.inputSha256(), run.outcome(), counts, partitions, run.quarantine(), run.fileRejection(), run.drift(),
                run.supersedes(), run.validatedAt());
    }

    /** Bytes of a part file: distinct per run, month and part; longer with more rows. */
    public static byte[] content(RunId runId, String month, int part, long rows) {
        StringBuilder text = new StringBuilder();
        for (long row = 0; row < rows; row++) {
            text.append(runId).append('|').append(month).append('|').append(part).append('|').append(row).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] json(Object document) {
        try {
            return EventCodec.mapper().writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
