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

    private static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");

    private LakeValidationEngine() {
    }

    static EngineResult run(BenchmarkFile.Described file, Path work) throws Exception {
        FileSystemObjectStore store = new FileSystemObjectStore(work.resolve("lake"));
        LakeLayout layout = new LakeLayout(new LakeBuckets("landing", "bronze", "silver", "gold", "quarantine"));
        RunId runId = RunId.newRun(NOW);
        LocalDate ingestDate = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
        Location bronze = layout.bronzeFile(ingestDate, runId, file.path().getFileName().toString());
        store.create(bronze, file.path(), "application/gzip");
        FileLanded landed = new FileLanded(runId.value(), LakeLayout.DATASET_PATH, "v1", FileLanded.KIND_INGEST, ingestDate,
                new Location("landing", "incoming/" + file.path().getFileName()), bronze, sha256(file.path()),
                Files.size(file.path()), NOW, List.of());
        Path staging = Files.createDirectories(work.resolve("staging"));
        RunValidator validator = new RunValidator(store, layout, Clock.fixed(NOW, ZoneOffset.UTC), CommonIsoCurrencies.instance(),
                staging, ValidationConfig.DEFAULT);

        Measurement.Measured<RunValidated> measured = Measurement.of(() -> validator.validate(landed));

        RunValidated run = measured.result();
        return new EngineResult("lake", run.counts().rowsRead(), run.counts().silver(), run.counts().quarantined(),
                run.counts().condemned(), run.partitions().size(), measured.measurement());
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
