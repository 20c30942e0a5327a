package dev.mortgagelake.bench;

import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.storage.FileSystemObjectStore;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.validation.RunValidator;
import dev.mortgagelake.validation.ValidationConfig;
import dev.mortgagelake.validation.contract.CommonIsoCurrencies;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;

/**
 * The lake's own validation ({@link RunValidator}, the code validation-service runs) over a local
 * directory: Bronze input, Silver and Quarantine Parquet written to local disk.
 */
final class LakeValidationEngine {

    /** The validation time of every benchmark run (after the generated business months). */
    static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");
    static final LakeLayout LAYOUT = new LakeLayout(new LakeBuckets("landing", "bronze", "silver", "gold", "quarantine"));

    private LakeValidationEngine() {
    }

    /** A fresh lake in {@code work/lake}: validates the file there, measured. */
    static EngineResult run(BenchmarkFile.Described file, Path work) throws Exception {
        return result(validate(file, new FileSystemObjectStore(work.resolve("lake")), work.resolve("staging")));
    }

    /** A measured validation as the benchmark's figures ({@code duplicates}: the condemned rows). */
    static EngineResult result(Measurement.Measured<RunValidated> measured) {
        RunValidated run = measured.result();
        return new EngineResult("lake", run.counts().rowsRead(), run.counts().silver(), run.counts().quarantined(),
                run.counts().condemned(), run.partitions().size(), measured.measurement());
    }

    /**
     * Lands {@code file} in Bronze of the lake in {@code store} as a new ingest run and validates it
     * with {@link RunValidator}, staging in {@code staging}. Only the validation is measured (landing
     * copies the file and hashes it first). Duplicates are found against whatever the lake has
     * published.
     */
    static Measurement.Measured<RunValidated> validate(BenchmarkFile.Described file, FileSystemObjectStore store, Path staging)
            throws Exception {
        RunId runId = RunId.newRun(NOW);
        LocalDate ingestDate = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
        Location bronze = LAYOUT.bronzeFile(ingestDate, runId, file.path().getFileName().toString());
        store.create(bronze, file.path(), "application/gzip");
        FileLanded landed = new FileLanded(runId.value(), LakeLayout.DATASET_PATH, "v1", FileLanded.KIND_INGEST, ingestDate,
                new Location("landing", "incoming/" + file.path().getFileName()), bronze, sha256(file.path()),
                Files.size(file.path()), NOW, List.of());
        RunValidator validator = new RunValidator(store, LAYOUT, Clock.fixed(NOW, ZoneOffset.UTC), CommonIsoCurrencies.instance(),
                Files.createDirectories(staging), ValidationConfig.DEFAULT);

        return Measurement.of(() -> validator.validate(landed));
    }

    private static String sha256(Path path) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(path), sha)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
