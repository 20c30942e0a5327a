package dev.mortgagelake.validation;

import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.validation.contract.CommonIsoCurrencies;
import dev.mortgagelake.validation.contract.ContractV1;
import dev.mortgagelake.validation.contract.RowVerdict;
import dev.mortgagelake.validation.contract.TransactionRules;
import dev.mortgagelake.validation.duplicate.DeferredRows;
import dev.mortgagelake.validation.duplicate.PublishedRowIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The two-phase duplicate check of {@link RunSinks}: the decisions never depend on the filter or the batch size. */
class RunSinksTest {

    @TempDir
    Path tempDir;

    private static final TransactionRules RULES = new TransactionRules(CommonIsoCurrencies.instance(),
            Instant.parse("2030-01-01T00:00:00Z"), "test bound");

    /** A row as the test keeps it: its values and line. */
    private record Row(String[] values, long line) {
    }

    private static final DeferredRows.Codec<Row> CODEC = new DeferredRows.Codec<>() {
        @Override
        public void write(DataOutputStream out, Row row) throws IOException {
            for (String value : row.values()) {
                DeferredRows.writeString(out, value);
            }
            out.writeLong(row.line());
        }

        @Override
        public Row read(DataInputStream in) throws IOException {
            String[] values = new String[ContractV1.COLUMNS.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = DeferredRows.readString(in);
            }
            return new Row(values, in.readLong());
        }
    };

    /** Runs the rows through RunSinks; returns "line -> silver | codes: description" in line order. */
    private List<String> decide(List<String[]> rows, long filterBytes, int batchRows, String name) throws IOException {
        TestLake lake = new TestLake(tempDir.resolve(name));
        PublishedRowIndex.View published = new PublishedRowIndex(lake.store, lake.layout).view("v1", List.of());
        String[] outcome = new String[rows.size() + 2];
        ValidationConfig config = ValidationConfig.DEFAULT.withMaxSeenIdFilterBytes(filterBytes);
        try (RunSinks<Row> sinks = new RunSinks<>(tempDir.resolve(name + "-staging"), RunId.of("20260121T120000000Z-0000abcd"),
                TestLake.INGEST_DATE, config, published, "this file", rows.size(), CODEC, batchRows)) {
            long line = 2;
            for (String[] values : rows) {
                RowVerdict verdict = RULES.check(values[0], values[1], values[2], values[3], values[4]);
                assertThat(verdict.isValid()).isTrue();
                if (sinks.toSilverIfNew(values, line, verdict)) {
                    outcome[(int) line] = "silver";
                } else {
                    sinks.deferLast(new Row(values, line));
                }
                line++;
            }
            sinks.resolveDeferred(new RunSinks.Outcomes<>() {
                @Override
                public String[] values(Row row) {
                    return row.values();
                }

                @Override
                public void silver(Row row) {
                    outcome[(int) row.line()] = "silver";
                }

                @Override
                public void taken(Row row, RunSinks.Taken taken) {
                    outcome[(int) row.line()] = taken.codes() + ": " + taken.description();
                }
            });
            StagedRun run = new StagedRun();
            sinks.finishInto(run);
            long silver = java.util.Arrays.stream(outcome).filter("silver"::equals).count();
            assertThat(run.parts.stream().mapToLong(p -> p.rows()).sum()).isEqualTo(silver);
            assertThat(run.indexShards.stream().mapToLong(PublishedRowIndex.StagedShard::entries).sum()).isEqualTo(silver);
        }
        List<String> decisions = new ArrayList<>();
        for (int line = 2; line < outcome.length; line++) {
            decisions.add(line + " -> " + outcome[line]);
        }
        return decisions;
    }

    private static String[] row(int id, int variant) {
        return new String[] {"T" + id, "C" + id % 13, (100 + id) + "." + (variant == 0 ? "00" : "01"), "EUR",
                "2024-0" + (1 + id % 9) + "-01T10:00:00Z"};
    }

    @Test
    void theEarlierRowStaysAcrossBatchesAndWithASaturatedFilter() throws IOException {
        List<String[]> rows = List.of(row(1, 0), row(2, 0), row(1, 0), row(1, 1), row(3, 0), row(2, 1), row(3, 0), row(4, 0));

        List<String> ample = decide(rows, SeenIdFilterBytes.AMPLE, 65_536, "ample");
        List<String> tiny = decide(rows, 64, 1, "tiny");

        assertThat(tiny).isEqualTo(ample);
        assertThat(ample).containsExactly(
                "2 -> silver",
                "3 -> silver",
                "4 -> [DUPLICATE_EXACT]: DUPLICATE_EXACT: exact duplicate of line 2 of this file (all business fields equal)",
                "5 -> [DUPLICATE_ID_CONFLICT]: " + TransactionRules.duplicateIdConflict("T1", "line 2 of this file").describe(),
                "6 -> silver",
                "7 -> [DUPLICATE_ID_CONFLICT]: " + TransactionRules.duplicateIdConflict("T2", "line 3 of this file").describe(),
                "8 -> [DUPLICATE_EXACT]: DUPLICATE_EXACT: exact duplicate of line 6 of this file (all business fields equal)",
                "9 -> silver");
    }

    @Test
    void manyRandomRowsAreDecidedAlikeWhateverTheFilterAndBatchSize() throws IOException {
        Random random = new Random(5);
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            rows.add(row(random.nextInt(1_200), random.nextInt(8) == 0 ? 1 : 0));
        }

        List<String> ample = decide(rows, SeenIdFilterBytes.AMPLE, 65_536, "ample");

        // A one-block filter is saturated after about a hundred ids: from then on every row is deferred, and
        // batches of 7 make later batches depend on rows that earlier batches sent to Silver.
        assertThat(decide(rows, 64, 7, "tiny-batches")).isEqualTo(ample);
        assertThat(decide(rows, 1024, 65_536, "small-filter")).isEqualTo(ample);
        assertThat(ample.stream().filter(d -> d.endsWith("silver")).count()).isLessThanOrEqualTo(1_200).isGreaterThan(1_000);
    }

    private static final class SeenIdFilterBytes {
        static final long AMPLE = dev.mortgagelake.validation.duplicate.SeenIdFilter.MAX_BYTES;
    }
}
