package dev.mortgagelake.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortgagelake.gold.parquet.AccountBalancesSchemaV1;
import dev.mortgagelake.gold.parquet.MonthlyReportsSchemaV1;
import dev.mortgagelake.gold.parquet.TransactionSummariesSchemaV1;
import dev.mortgagelake.validation.quarantine.QuarantineSchemaV1;
import dev.mortgagelake.validation.silver.SilverSchemaV1;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.mortgagelake.contract.ContractEvolutionRuleTest.SOURCE_CONTRACTS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build rule on lake-core's real contract directory ({@code src/main/resources/contracts}): a
 * breaking change under the same {@code schema_v}, an edited or removed released contract, or a
 * contract file outside the index fails this test, and so {@code ./mvnw verify}.
 */
class ContractDirectoryTest {

    @Test
    void theLakeContractsKeepTheEvolutionRule() {
        List<String> violations = ContractEvolutionRule.check(SOURCE_CONTRACTS);

        assertThat(violations).as("contract rule violations in %s:%n%s", SOURCE_CONTRACTS.toAbsolutePath(),
                String.join(System.lineSeparator(), violations)).isEmpty();
    }

    @Test
    void theClassPathCarriesExactlyTheSourceTreeContracts() {
        ContractCatalog sourceTree = ContractCatalog.load(ContractFiles.directory(SOURCE_CONTRACTS));
        ContractCatalog classPath = ContractCatalog.standard();

        assertThat(fingerprints(classPath)).isEqualTo(fingerprints(sourceTree));
        assertThat(ReleaseLock.load(ContractFiles.classPath(getClass().getClassLoader())).released())
                .isEqualTo(ReleaseLock.load(ContractFiles.directory(SOURCE_CONTRACTS)).released());
    }

    @Test
    void everyContractTheLakeWritesWithIsReleased() {
        ReleaseLock lock = ReleaseLock.load(ContractFiles.classPath(getClass().getClassLoader()));

        for (DatasetContract written : List.of(SilverSchemaV1.CONTRACT, QuarantineSchemaV1.CONTRACT, AccountBalancesSchemaV1.CONTRACT,
                MonthlyReportsSchemaV1.CONTRACT, TransactionSummariesSchemaV1.CONTRACT)) {
            assertThat(lock.sha256(written.file())).as(written.file()).contains(written.sha256());
        }
    }

    @Test
    void nativeImagesIncludeTheContractDirectory() throws Exception {
        String config = "META-INF/native-image/dev.mortgagelake/lake-core/resource-config.json";
        JsonNode includes;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(config)) {
            assertThat(in).as(config).isNotNull();
            includes = new ObjectMapper().readTree(in).path("resources").path("includes");
        }
        List<Pattern> patterns = new ArrayList<>();
        includes.forEach(include -> patterns.add(Pattern.compile(include.path("pattern").asText())));

        List<String> resources = new ArrayList<>(List.of(ContractFiles.CLASS_PATH_ROOT + ContractCatalog.INDEX,
                ContractFiles.CLASS_PATH_ROOT + ReleaseLock.FILE));
        ContractCatalog.standard().files().forEach(file -> resources.add(ContractFiles.CLASS_PATH_ROOT + file));
        assertThat(resources).allSatisfy(resource -> assertThat(patterns).anyMatch(pattern -> pattern.matcher(resource).matches()));
    }

    private static List<String> fingerprints(ContractCatalog catalog) {
        return catalog.contracts().stream().map(contract -> contract.file() + " " + contract.sha256()).collect(Collectors.toList());
    }
}
