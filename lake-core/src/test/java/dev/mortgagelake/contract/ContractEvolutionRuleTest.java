package dev.mortgagelake.contract;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build rule on a copy of the lake's contract directory: a breaking change under the same
 * {@code schema_v} fails, the same change under a new {@code schema_v} passes, and released files
 * cannot change or disappear.
 */
class ContractEvolutionRuleTest {

    static final Path SOURCE_CONTRACTS = Path.of(System.getProperty("basedir", "."), "src", "main", "resources", "contracts");

    private static final String SILVER_V1_0 = "silver_transactions/v1.0.avsc";
    /** The newest released Silver minor of schema_v=v1: the tests change or extend it. */
    private static final String SILVER_LATEST = "silver_transactions/v1.1.avsc";
    private static final String SILVER_NEXT = "silver_transactions/v1.2.avsc";
    private static final String SILVER_AFTER_NEXT = "silver_transactions/v1.3.avsc";
    private static final String AMOUNT_V1 = "{\"type\": \"fixed\", \"name\": \"decimal_18_2\", \"size\": 8, \"logicalType\": \"decimal\","
            + " \"precision\": 18, \"scale\": 2}";
    private static final String AMOUNT_SCALE_4 = "{\"type\": \"fixed\", \"name\": \"decimal_18_4\", \"size\": 8, \"logicalType\": \"decimal\","
            + " \"precision\": 18, \"scale\": 4}";

    @TempDir
    Path contracts;

    @BeforeEach
    void copyTheLakeContracts() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCE_CONTRACTS)) {
            for (Path file : files.toList()) {
                Path target = contracts.resolve(SOURCE_CONTRACTS.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        assertThat(ContractEvolutionRule.check(contracts)).isEmpty();
    }

    @Test
    void aBreakingChangeUnderTheSameSchemaVersionFailsTheBuild() throws IOException {
        String silver = read(SILVER_LATEST);
        assertThat(silver).contains(AMOUNT_V1);
        addContract(SILVER_NEXT, silver.replace(AMOUNT_V1, AMOUNT_SCALE_4));

        assertThat(ContractEvolutionRule.check(contracts)).containsExactly("silver_transactions v1.2: transaction_amount"
                + " decimal(18,2) -> decimal(18,4) is a BREAKING precision/scale change; it needs a new schema_v (v2)");
    }

    @Test
    void theSameChangeUnderANewSchemaVersionPasses() throws IOException {
        String v2 = read(SILVER_V1_0).replace(AMOUNT_V1, AMOUNT_SCALE_4)
                .replace("\"SilverTransactionV1\"", "\"SilverTransactionV2\"")
                .replace("schema_v=v1", "schema_v=v2");
        addContract("silver_transactions/v2.0.avsc", v2);

        assertThat(ContractEvolutionRule.check(contracts)).isEmpty();
        ContractCatalog catalog = ContractCatalog.load(ContractFiles.directory(contracts));
        CompatibilityReport report = ContractCompatibility.compare(catalog.contract("silver_transactions", new ContractVersion(1, 0)),
                catalog.contract("silver_transactions", new ContractVersion(2, 0)));
        assertThat(report.verdict()).isEqualTo(Verdict.BREAKING);
        assertThat(report.changes()).extracting(ContractChange::kind)
                .containsExactly(ChangeKind.RECORD_RENAMED, ChangeKind.DATASET_MEANING_CHANGED, ChangeKind.DECIMAL_CHANGED);
    }

    @Test
    void theReleasedTransactionTypeMinorIsASafeAdditionToV1_0() {
        ContractCatalog catalog = ContractCatalog.load(ContractFiles.directory(contracts));
        assertThat(catalog.latest("silver_transactions", 1)).map(DatasetContract::version).contains(new ContractVersion(1, 1));
        CompatibilityReport silver = ContractCompatibility.compare(catalog.contract("silver_transactions", new ContractVersion(1, 0)),
                catalog.contract("silver_transactions", new ContractVersion(1, 1)));
        assertThat(silver.verdict()).isEqualTo(Verdict.SAFE);
        assertThat(silver.describe()).isEqualTo("silver_transactions v1.0 -> v1.1: SAFE (1 change)\n  silver_transactions v1.1:"
                + " transaction_type added as nullable string, source column TransactionType (optional) is a SAFE optional column addition");
        assertThat(silver.changes()).extracting(ContractChange::kind).containsExactly(ChangeKind.OPTIONAL_FIELD_ADDED);
        CompatibilityReport quarantine = ContractCompatibility.compare(
                catalog.contract("quarantine_transactions", new ContractVersion(1, 0)),
                catalog.contract("quarantine_transactions", new ContractVersion(1, 1)));
        assertThat(quarantine.verdict()).isEqualTo(Verdict.SAFE);
        assertThat(quarantine.changes()).extracting(ContractChange::kind).containsExactly(ChangeKind.OPTIONAL_FIELD_ADDED);
    }

    @Test
    void aSafeMinorVersionPasses() throws IOException {
        String silver = read(SILVER_LATEST);
        String last = silver.substring(0, silver.lastIndexOf('}', silver.lastIndexOf(']')) + 1);
        String v12 = last + ",\n    {\n      \"name\": \"channel\",\n      \"type\": [\"null\", \"string\"],\n      \"default\": null,\n"
                + "      \"doc\": \"Channel of the transaction.\",\n      \"source\": {\"column\": \"Channel\", \"required\": false}\n    }"
                + silver.substring(last.length());
        addContract(SILVER_NEXT, v12);

        assertThat(ContractEvolutionRule.check(contracts)).isEmpty();
        ContractCatalog catalog = ContractCatalog.load(ContractFiles.directory(contracts));
        assertThat(catalog.latest("silver_transactions", 1)).map(DatasetContract::version).contains(new ContractVersion(1, 2));
        assertThat(ContractCompatibility.compare(catalog.versions("silver_transactions").get(1), catalog.versions("silver_transactions").get(2))
                .describe()).isEqualTo("silver_transactions v1.1 -> v1.2: SAFE (1 change)\n  silver_transactions v1.2: channel"
                + " added as nullable string, source column Channel (optional) is a SAFE optional column addition");
    }

    @Test
    void aChangedReleasedFileFails() throws IOException {
        String locked = ReleaseLock.load(ContractFiles.directory(contracts)).sha256(SILVER_LATEST).orElseThrow();
        Path file = contracts.resolve(SILVER_LATEST);
        // a byte-level edit that changes no type, doc or attribute: only the lock can tell
        Files.writeString(file, read(SILVER_LATEST).replace("\"default\": null", "\"default\":  null"));
        String now = DatasetContract.sha256(Files.readAllBytes(file));

        assertThat(ContractEvolutionRule.check(contracts)).singleElement().asString()
                .startsWith("released contract silver_transactions/v1.1.avsc changed (sha256 " + locked + " locked, now " + now + "): ")
                .endsWith("released contracts are immutable; put the change in a new version file (silver_transactions/v1.2.avsc if it is"
                        + " SAFE, silver_transactions/v2.0.avsc if it is BREAKING)");
    }

    @Test
    void aRemovedReleasedFileFails() throws IOException {
        Files.writeString(contracts.resolve(ContractCatalog.INDEX), read(ContractCatalog.INDEX).replace(SILVER_LATEST + "\n", ""));
        Files.delete(contracts.resolve(SILVER_LATEST));

        assertThat(ContractEvolutionRule.check(contracts)).containsExactly("released contract silver_transactions/v1.1.avsc is missing"
                + " from index.txt or the directory: released contracts are never removed (files in the lake are written with them)");
    }

    @Test
    void aContractFileOutsideTheIndexFails() throws IOException {
        Files.writeString(contracts.resolve(SILVER_NEXT), read(SILVER_LATEST));

        assertThat(ContractEvolutionRule.check(contracts)).containsExactly("silver_transactions/v1.2.avsc is not listed in index.txt:"
                + " add it, or the lake never loads or checks it");
    }

    @Test
    void minorVersionsAreConsecutive() throws IOException {
        addContract(SILVER_AFTER_NEXT, read(SILVER_LATEST));

        assertThat(ContractEvolutionRule.check(contracts)).containsExactly("silver_transactions v1.3 follows v1.1: the minors of a"
                + " schema_v are consecutive (expected v1.2)");
    }

    @Test
    void aNewSchemaVersionStartsAtMinorZero() throws IOException {
        addContract("silver_transactions/v2.1.avsc", read(SILVER_V1_0).replace("\"SilverTransactionV1\"", "\"SilverTransactionV2\""));

        assertThat(ContractEvolutionRule.check(contracts)).containsExactly("silver_transactions v2.1 follows v1.1: a table's schema_v are"
                + " consecutive from v1 and each starts at .0 (expected v2.0)");
    }

    @Test
    void releasesGoInOrder() throws IOException {
        String silver = read(SILVER_LATEST);
        addContract(SILVER_NEXT, silver);
        addContract(SILVER_AFTER_NEXT, silver);
        lock(SILVER_AFTER_NEXT);

        assertThat(ContractEvolutionRule.check(contracts)).containsExactly("silver_transactions v1.3 is released but v1.2 is not:"
                + " release the versions of a schema_v in order");
    }

    @Test
    void aLockedDraftIsReleasedAndImmutableFromThen() throws IOException {
        addContract(SILVER_NEXT, read(SILVER_LATEST));
        lock(SILVER_NEXT);
        assertThat(ContractEvolutionRule.check(contracts)).isEmpty();

        Files.writeString(contracts.resolve(SILVER_NEXT), read(SILVER_LATEST) + "\n");

        assertThat(ContractEvolutionRule.check(contracts)).singleElement().asString()
                .startsWith("released contract silver_transactions/v1.2.avsc changed")
                .contains("(silver_transactions/v1.3.avsc if it is SAFE, silver_transactions/v2.0.avsc if it is BREAKING)");
    }

    @Test
    void aMissingOrMalformedLockFails() throws IOException {
        Files.writeString(contracts.resolve(ReleaseLock.FILE), "c55e8636  silver_transactions/v1.0.avsc\n");
        assertThat(ContractEvolutionRule.check(contracts)).singleElement().asString()
                .startsWith("released.sha256 line 1 is not '<sha256 lower-case hex>  <file>'");

        Files.delete(contracts.resolve(ReleaseLock.FILE));
        assertThat(ContractEvolutionRule.check(contracts)).singleElement().asString().startsWith("No released.sha256 in the contract directory");
    }

    @Test
    void anInvalidContractFileFailsWithItsProblem() throws IOException {
        addContract(SILVER_NEXT, read(SILVER_LATEST).replace("\"source\": {\"column\": \"Currency\"",
                "\"sourse\": {\"column\": \"Currency\""));

        assertThat(ContractEvolutionRule.check(contracts)).containsExactly("silver_transactions/v1.2.avsc: unknown attribute 'sourse' on"
                + " field currency (contract attributes: source, reference_data)");
    }

    @Test
    void theCatalogRefusesABrokenIndex() throws IOException {
        Path index = contracts.resolve(ContractCatalog.INDEX);
        String text = read(ContractCatalog.INDEX);

        Files.writeString(index, text + SILVER_NEXT + "\n");
        assertThat(ContractEvolutionRule.check(contracts)).containsExactly("index.txt lists silver_transactions/v1.2.avsc, which does not exist");

        Files.writeString(index, text + SILVER_V1_0 + "\n");
        assertThat(ContractEvolutionRule.check(contracts)).containsExactly("index.txt lists silver_transactions/v1.0.avsc twice");

        Files.writeString(index, text + "../secrets.avsc\n");
        assertThat(ContractEvolutionRule.check(contracts)).singleElement().asString().contains("is not a contract file name");

        Files.delete(index);
        assertThat(ContractEvolutionRule.check(contracts)).containsExactly("No contract index index.txt in the contract directory");
    }

    private String read(String file) {
        try {
            return Files.readString(contracts.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void addContract(String file, String json) throws IOException {
        Files.createDirectories(contracts.resolve(file).getParent());
        Files.writeString(contracts.resolve(file), json, StandardCharsets.UTF_8);
        Files.writeString(contracts.resolve(ContractCatalog.INDEX), file + "\n", StandardOpenOption.APPEND);
    }

    private void lock(String file) throws IOException {
        String sha256 = DatasetContract.sha256(Files.readAllBytes(contracts.resolve(file)));
        Files.writeString(contracts.resolve(ReleaseLock.FILE), sha256 + "  " + file + "\n", StandardOpenOption.APPEND);
    }
}
