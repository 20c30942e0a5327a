package dev.mortgagelake.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Every dataset contract of the lake, read from the contract index ({@value #INDEX}: one contract
 * file a line, {@code #} comments) and the files it lists. {@link #standard()} is lake-core's own
 * contract directory on the class path, loaded once; the schema classes
 * ({@code SilverSchemaV1}, the Gold {@code *SchemaV1}, {@code QuarantineSchemaV1}) take their
 * schemas from it.
 */
public final class ContractCatalog {

    /** The index of the contract directory. */
    public static final String INDEX = "index.txt";

    private final List<String> files;
    private final Map<String, NavigableMap<ContractVersion, DatasetContract>> tables;

    private ContractCatalog(List<String> files, Map<String, NavigableMap<ContractVersion, DatasetContract>> tables) {
        this.files = List.copyOf(files);
        this.tables = tables;
    }

    /** lake-core's contracts ({@code contracts/} on the class path), read and checked once. */
    public static ContractCatalog standard() {
        return Standard.CATALOG;
    }

    private static final class Standard {
        static final ContractCatalog CATALOG = load(ContractFiles.classPath(ContractCatalog.class.getClassLoader()));
    }

    /**
     * Reads the index and every contract it lists.
     *
     * @throws ContractException when the index is missing or malformed, a listed file is missing, a
     *                           file is not a valid contract, or its table and version differ from its path
     */
    public static ContractCatalog load(ContractFiles source) {
        String index = new String(read(source, INDEX).orElseThrow(() -> new ContractException(
                "No contract index " + INDEX + " in the contract directory")), StandardCharsets.UTF_8);
        Set<String> files = new LinkedHashSet<>();
        Map<String, NavigableMap<ContractVersion, DatasetContract>> tables = new TreeMap<>();
        int lineNumber = 0;
        for (String line : index.split("\r?\n", -1)) {
            lineNumber++;
            String file = line.strip();
            if (file.isEmpty() || file.startsWith("#")) {
                continue;
            }
            if (!DatasetContract.FILE.matcher(file).matches()) {
                throw new ContractException(INDEX + " line " + lineNumber + ": '" + file
                        + "' is not a contract file name (<table>/v<schema_v>.<minor>.avsc)");
            }
            if (!files.add(file)) {
                throw new ContractException(INDEX + " lists " + file + " twice");
            }
            byte[] bytes = read(source, file).orElseThrow(() -> new ContractException(
                    INDEX + " lists " + file + ", which does not exist"));
            DatasetContract contract = DatasetContract.parse(file, bytes);
            DatasetContract same = tables.computeIfAbsent(contract.table(), t -> new TreeMap<>())
                    .putIfAbsent(contract.version(), contract);
            if (same != null) {
                throw new ContractException(file + " and " + same.file() + " are both " + contract);
            }
        }
        return new ContractCatalog(new ArrayList<>(files), tables);
    }

    private static Optional<byte[]> read(ContractFiles source, String path) {
        try {
            return source.read(path);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read contract file " + path, e);
        }
    }

    /** The contract files, in index order. */
    public List<String> files() {
        return files;
    }

    /** The tables with at least one contract, sorted. */
    public Set<String> tables() {
        return Collections.unmodifiableSet(tables.keySet());
    }

    /** Every contract, by table then version. */
    public List<DatasetContract> contracts() {
        return tables.values().stream().flatMap(versions -> versions.values().stream()).collect(Collectors.toList());
    }

    /** Every version of {@code table}'s contract, oldest first (empty for an unknown table). */
    public List<DatasetContract> versions(String table) {
        NavigableMap<ContractVersion, DatasetContract> versions = tables.get(table);
        return versions == null ? List.of() : List.copyOf(versions.values());
    }

    /** The contract {@code version} of {@code table}. */
    public DatasetContract contract(String table, ContractVersion version) {
        NavigableMap<ContractVersion, DatasetContract> versions = tables.get(table);
        DatasetContract contract = versions == null ? null : versions.get(version);
        if (contract == null) {
            throw new IllegalArgumentException("No contract " + table + " " + version + " (known: "
                    + (versions == null ? "no version of " + table + "; tables " + tables.keySet() : versions.keySet()) + ")");
        }
        return contract;
    }

    /** The newest minor of {@code table}'s {@code schema_v} {@code schema}, if there is any. */
    public Optional<DatasetContract> latest(String table, int schema) {
        NavigableMap<ContractVersion, DatasetContract> versions = tables.get(table);
        if (versions == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(versions.subMap(new ContractVersion(schema, 0), true,
                new ContractVersion(schema + 1, 0), false).lastEntry()).map(Map.Entry::getValue);
    }
}
