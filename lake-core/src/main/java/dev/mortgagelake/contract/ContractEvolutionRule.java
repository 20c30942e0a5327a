package dev.mortgagelake.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The rule the build enforces on the contract directory (lake-core's {@code ContractDirectoryTest}
 * runs it on {@code src/main/resources/contracts}, so {@code ./mvnw verify} fails on a violation):
 * <ol>
 *   <li>Within one {@code schema_v}, each minor version is {@link Verdict#SAFE} relative to the one
 *       before it ({@link ContractCompatibility}); a breaking change needs a new {@code schema_v}.</li>
 *   <li>The minors of a {@code schema_v} are consecutive from {@code .0}, and the {@code schema_v}s
 *       of a table are consecutive from {@code v1}.</li>
 *   <li>Released contract files ({@link ReleaseLock}) are immutable: each is still listed and its
 *       bytes still have the locked SHA-256. Releases go in order: a minor is released only after
 *       the minors before it.</li>
 *   <li>Every {@code .avsc} file of the directory is in the index (a file the catalog never loads is
 *       never checked either).</li>
 * </ol>
 */
public final class ContractEvolutionRule {

    private ContractEvolutionRule() {
    }

    /**
     * Checks the contract directory {@code directory} (index, contract files, lock). Empty when the
     * contracts keep the rule; otherwise one message per violation.
     */
    public static List<String> check(Path directory) {
        ContractFiles files = ContractFiles.directory(directory);
        ContractCatalog catalog;
        ReleaseLock lock;
        try {
            catalog = ContractCatalog.load(files);
            lock = ReleaseLock.load(files);
        } catch (ContractException e) {
            return List.of(e.getMessage());
        }
        List<String> violations = new ArrayList<>();
        for (String file : contractFilesIn(directory)) {
            if (!catalog.files().contains(file)) {
                violations.add(file + " is not listed in " + ContractCatalog.INDEX
                        + ": add it, or the lake never loads or checks it");
            }
        }
        violations.addAll(violations(catalog, lock));
        return violations;
    }

    /** The violations of the rule by {@code catalog}'s contracts, given the released files of {@code lock}. */
    public static List<String> violations(ContractCatalog catalog, ReleaseLock lock) {
        List<String> violations = new ArrayList<>();
        Map<String, DatasetContract> byFile = new TreeMap<>();
        catalog.contracts().forEach(contract -> byFile.put(contract.file(), contract));
        lock.released().forEach((file, sha256) -> {
            DatasetContract contract = byFile.get(file);
            if (contract == null) {
                violations.add("released contract " + file + " is missing from " + ContractCatalog.INDEX
                        + " or the directory: released contracts are never removed (files in the lake are written with them)");
            } else if (!contract.sha256().equals(sha256)) {
                ContractVersion version = contract.version();
                ContractVersion nextMinor = catalog.latest(contract.table(), version.schema())
                        .map(latest -> new ContractVersion(version.schema(), latest.version().minor() + 1)).orElseThrow();
                violations.add("released contract " + file + " changed (sha256 " + sha256 + " locked, now " + contract.sha256()
                        + "): released contracts are immutable; put the change in a new version file (" + contract.table() + "/"
                        + nextMinor + ".avsc if it is SAFE, " + contract.table() + "/" + version.nextSchema() + ".avsc if it is BREAKING)");
            }
        });
        for (String table : catalog.tables()) {
            DatasetContract previous = null;
            for (DatasetContract contract : catalog.versions(table)) {
                ContractVersion version = contract.version();
                if (previous == null || previous.version().schema() != version.schema()) {
                    int expectedSchema = previous == null ? 1 : previous.version().schema() + 1;
                    if (version.schema() != expectedSchema || version.minor() != 0) {
                        violations.add(table + " " + version + " follows " + (previous == null ? "no version" : previous.version())
                                + ": a table's schema_v are consecutive from v1 and each starts at .0 (expected "
                                + new ContractVersion(expectedSchema, 0) + ")");
                    }
                } else {
                    if (version.minor() != previous.version().minor() + 1) {
                        violations.add(table + " " + version + " follows " + previous.version()
                                + ": the minors of a schema_v are consecutive (expected "
                                + new ContractVersion(version.schema(), previous.version().minor() + 1) + ")");
                    }
                    CompatibilityReport report = ContractCompatibility.compare(previous, contract);
                    report.breakingChanges().forEach(change -> violations.add(change.message()));
                    if (lock.isReleased(contract.file()) && !lock.isReleased(previous.file())) {
                        violations.add(table + " " + version + " is released but " + previous.version()
                                + " is not: release the versions of a schema_v in order");
                    }
                }
                previous = contract;
            }
        }
        return violations;
    }

    private static List<String> contractFilesIn(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(path -> path.getFileName().toString().endsWith(".avsc"))
                    .map(path -> directory.relativize(path).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the contract directory " + directory, e);
        }
    }
}
