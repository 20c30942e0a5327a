package dev.mortgagelake.validation;

import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.validation.reference.CurrencyReference;
import dev.mortgagelake.validation.reference.ReferenceDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;

import static dev.mortgagelake.validation.RunValidatorTest.HEADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The seed's failure mode "reference data missing": a run is never validated against nothing. Without
 * a currency allow-list the run is not validated at all (a clear, retryable error: the message is
 * redelivered, then dead-lettered), nothing is written for it, and once the list is back the same event
 * validates the run normally.
 */
class MissingReferenceDataTest {

    @TempDir
    Path tempDir;

    @Test
    void aRunIsNotValidatedWithoutTheCurrencyAllowListAndIsOnceItIsBack() {
        TestLake lake = new TestLake(tempDir);
        CurrencyReference reference = new CurrencyReference(lake.store, lake.layout);
        Supplier<dev.mortgagelake.validation.contract.CurrencyAllowList> currencies = reference::forRun;
        RunValidator validator = new RunValidator(lake.store, lake.layout, lake.clock, currencies, lake.workDir, ValidationConfig.DEFAULT);
        FileLanded landed = lake.land("t.csv", (HEADER + "\nT1,C1,1.00,EUR,2024-01-01T00:00:00Z\n").getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> validator.validate(landed)).isInstanceOf(ReferenceDataException.class)
                .hasMessageContaining(lake.layout.currencyAllowList().key())
                .hasMessageContaining("no run is validated until it is fixed");
        assertThat(lake.keysUnder("silver/")).isEmpty();
        assertThat(lake.keysUnder(lake.layout.quarantineRunPrefix(TestLake.INGEST_DATE, RunId.of(landed.runId())))).isEmpty();
        assertThat(lake.store.head(lake.layout.validationRecord(RunId.of(landed.runId())))).isEmpty();
        assertThat(lake.workDirIsEmpty()).isTrue();

        CurrencyReference.seed(lake.store, lake.layout);
        RunValidated run = validator.validate(landed);

        assertThat(run.outcome()).isEqualTo(RunValidated.OUTCOME_VALIDATED);
        assertThat(run.counts()).isEqualTo(new RunValidated.Counts(1, 1, 0, 0));
    }
}
