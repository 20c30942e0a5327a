package dev.mortgagelake.local;

import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.storage.FileSystemObjectStore;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.validation.RunValidator;
import dev.mortgagelake.validation.ValidationConfig;
import dev.mortgagelake.validation.reference.CurrencyReference;
import dev.mortgagelake.validation.reference.TransactionTypeReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ./lake validate FILE --out DIR}: validates one file offline with the lake's own
 * {@link RunValidator} over a {@link FileSystemObjectStore}, writing under {@code DIR} exactly the
 * keys the lake writes (every layer's bucket is {@code DIR}): {@code bronze/...} (the file, verbatim),
 * {@code silver/...} with {@code manifest.json} and {@code _SUCCESS}, {@code quarantine/...}, the
 * condemned area, the validation record, and the currency allow-list under {@code reference/}
 * (seeded with the common ISO codes if absent; edit it there). Prints one JSON summary on stdout.
 * Exit code 0 when the file was validated, 1 when it was rejected as a whole.
 */
@Command(name = "validate", description = "Validate FILE offline with the lake's own code; write the lake's layout under DIR "
        + "and print one JSON summary.")
final class ValidateFile implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "A CSV or CSV.gz file.")
    Path file;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write the lake layout under.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "No such file: " + file);
        }
        Path dir = Files.createDirectories(out).toAbsolutePath().normalize();
        // FileSystemObjectStore keeps a bucket as a directory under its root: the bucket named like DIR, under
        // DIR's parent, puts every key directly under DIR.
        String bucket = dir.getFileName().toString();
        FileSystemObjectStore store = new FileSystemObjectStore(dir.getParent());
        LakeLayout layout = new LakeLayout(new LakeBuckets(bucket, bucket, bucket, bucket, bucket));
        CurrencyReference.seed(store, layout);
        CurrencyReference currencies = new CurrencyReference(store, layout);
        TransactionTypeReference.seed(store, layout);
        TransactionTypeReference transactionTypes = new TransactionTypeReference(store, layout);

        Instant now = Instant.now();
        RunId runId = RunId.newRun(now);
        LocalDate ingestDate = LocalDate.ofInstant(now, ZoneOffset.UTC);
        String fileName = file.getFileName().toString();
        Location bronze = layout.bronzeFile(ingestDate, runId, fileName);
        store.create(bronze, file, "application/octet-stream");
        FileLanded landed = new FileLanded(runId.value(), LakeLayout.DATASET_PATH, "v1", FileLanded.KIND_INGEST, ingestDate,
                new Location(bucket, "local/" + fileName), bronze, sha256(file), Files.size(file), now, List.of());

        Path work = Files.createTempDirectory("lake-validate-");
        RunValidated run;
        try {
            run = new RunValidator(store, layout, Clock.systemUTC(), currencies::forRun, transactionTypes::forRun, work,
                    ValidationConfig.DEFAULT)
                    .validate(landed);
        } finally {
            deleteRecursively(work);
        }
        spec.commandLine().getOut().println(LakeCommand.JSON.writeValueAsString(summary(run, store)));
        spec.commandLine().getOut().flush();
        return RunValidated.OUTCOME_VALIDATED.equals(run.outcome()) ? 0 : 1;
    }

    private static Map<String, Object> summary(RunValidated run, FileSystemObjectStore store) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("run_id", run.runId());
        summary.put("outcome", run.outcome().name());
        summary.put("rows_read", run.counts().rowsRead());
        summary.put("silver", run.counts().silver());
        summary.put("quarantined", run.counts().quarantined());
        summary.put("condemned", run.counts().condemned());
        Map<String, Long> partitions = new TreeMap<>();
        run.partitions().forEach(p -> partitions.put(p.yearMonth(), p.rows()));
        summary.put("partitions", partitions);
        summary.put("error_counts", run.quarantine() == null ? Map.of() : new TreeMap<>(run.quarantine().errorCounts()));
        summary.put("condemned_reasons", run.condemned() == null ? Map.of() : new TreeMap<>(run.condemned().reasonCounts()));
        summary.put("file_rejection", run.fileRejection() == null ? null
                : Map.of("code", run.fileRejection().code(), "message", run.fileRejection().message()));
        summary.put("drift", Map.of("unknown_columns", run.drift().unknownColumns(), "missing_columns", run.drift().missingColumns(),
                "new_enum_values", run.drift().newEnumValues()));
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("silver", run.partitions().stream().map(p -> store.pathOf(p.manifest()).getParent().toString()).toList());
        files.put("quarantine", run.quarantine() == null ? null : store.pathOf(run.quarantine().location()).toString());
        files.put("condemned", run.condemned() == null ? null : store.pathOf(run.condemned().location()).toString());
        files.put("file_rejection", run.fileRejection() == null ? null : store.pathOf(run.fileRejection().record()).toString());
        summary.put("files", files);
        return summary;
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
