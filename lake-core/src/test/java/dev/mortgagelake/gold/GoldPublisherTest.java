package dev.mortgagelake.gold;

import dev.mortgagelake.gold.GoldPublication.Status;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.publish.table.ProposedSnapshot;
import dev.mortgagelake.publish.table.TableOperation;
import dev.mortgagelake.publish.table.TableSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gold over real Silver Parquet on a filesystem store, checked against an independent DuckDB SQL
 * computation of the same datasets ({@link GoldTestLake#expected}).
 */
class GoldPublisherTest {

    @TempDir
    Path dir;

    /** Months with transactions: 2024-01..03, 05, 07, 08 (04 and 06 have none: balances carry forward). */
    static List<SilverTransaction> firstQuarter() {
        List<SilverTransaction> rows = new ArrayList<>(random(7, "2024-01", "2024-02", "2024-03"));
        rows.add(tx("Z1", "EUR", "100.00", "2024-01-10T08:00:00Z"));
        rows.add(tx("Z1", "EUR", "-100.00", "2024-02-29T23:59:59.999999Z"));   // closes to zero, last second of February
        rows.add(tx("Z2", "USD", "50.00", "2024-03-01T00:00:00Z"));            // first instant of March
        rows.add(tx("Z2", "USD", "-50.00", "2024-03-15T12:00:00Z"));
        rows.add(tx("Z3", "GBP", "0.00", "2024-03-20T12:00:00Z"));             // a zero amount: neither credit nor debit
        return rows;
    }

    static List<SilverTransaction> mayAndJuly() {
        List<SilverTransaction> rows = new ArrayList<>(random(11, "2024-05", "2024-07"));
        // 16 CHF transactions summing to 0.02: avg 0.00125 -> HALF_EVEN 0.0012 (HALF_UP would give 0.0013)
        for (int i = 0; i < 15; i++) {
            rows.add(tx("T1", "CHF", "1.00", "2024-05-0" + (1 + i % 9) + "T10:00:00Z"));
        }
        rows.add(tx("T1", "CHF", "-14.98", "2024-05-20T10:00:00Z"));
        // and the negative tie: -0.02 over 16 -> -0.0012
        for (int i = 0; i < 15; i++) {
            rows.add(tx("T2", "CHF", "-1.00", "2024-07-0" + (1 + i % 9) + "T10:00:00Z"));
        }
        rows.add(tx("T2", "CHF", "14.98", "2024-07-20T10:00:00Z"));
        rows.add(tx("N1", "GBP", "-20.50", "2024-07-31T23:00:00Z"));           // an account that starts late, negative
        return rows;
    }

    static List<SilverTransaction> august() {
        return random(13, "2024-08");
    }

    /** Extra rows for the middle month 2024-05: a known account, a new account, a new currency. */
    static List<SilverTransaction> mayCorrection() {
        return List.of(tx("A03", "EUR", "-250.25", "2024-05-05T05:05:05Z"),
                tx("M1", "USD", "999.99", "2024-05-31T23:59:59Z"),
                tx("M1", "SEK", "-0.01", "2024-05-01T00:00:00Z"));
    }

    @Test
    void goldEqualsAnIndependentSqlComputationAfterEveryPromotion() {
        GoldTestLake lake = new GoldTestLake(dir);
        GoldPublisher publisher = lake.publisher();

        for (List<SilverTransaction> run : List.of(firstQuarter(), mayAndJuly(), august())) {
            TableSnapshot silver = lake.appendRun(run);
            GoldPublication publication = publisher.publish(silver, Set.of());

            assertThat(publication.status()).isEqualTo(Status.PUBLISHED);
            assertThat(lake.gold(lake.currentGold(publisher))).isEqualTo(lake.expected(silver));
        }
        Map<GoldDataset, List<String>> gold = lake.gold(lake.currentGold(publisher));
        // the data set exercises what the definitions are about
        assertThat(gold.get(GoldDataset.ACCOUNT_BALANCES)).anyMatch(row -> row.startsWith("2024-04|")) // a month without transactions
                .contains("2024-08|Z1|EUR|0.00|0.00|0|" + micros("2024-02-29T23:59:59.999999Z"));       // zero balance carried forward
        assertThat(gold.get(GoldDataset.TRANSACTION_SUMMARIES))
                .contains("2024-05|CHF|UNKNOWN|16|0.02|-14.98|1.00|0.0012", "2024-07|CHF|UNKNOWN|16|-0.02|-1.00|14.98|-0.0012")
                .noneMatch(row -> row.startsWith("2024-04|") || row.startsWith("2024-06|"));
        assertThat(gold.get(GoldDataset.MONTHLY_REPORTS)).anyMatch(row -> row.startsWith("2024-06|EUR|0|0|0.00|0.00|0.00|"));
        assertThat(gold.get(GoldDataset.ACCOUNT_BALANCES)).hasSizeGreaterThan(100);
        assertNoStagingLeft();
    }

    @Test
    void transactionSummariesSplitByTheRealTypeAndFilesOfContractV1_0CountAsUnknown() {
        GoldTestLake lake = new GoldTestLake(dir);
        GoldPublisher publisher = lake.publisher();
        // a run written before contract v1.1 (no transaction_type column at all)
        lake.appendV1_0Run(List.of(tx("A1", "EUR", "10.00", "2024-03-01T10:00:00Z"), tx("A2", "EUR", "-2.50", "2024-03-02T10:00:00Z")));
        // a v1.1 run in the same month: typed rows, and rows of a file without TransactionType (UNKNOWN)
        TableSnapshot silver = lake.appendRun(List.of(
                typed("A1", "EUR", "100.00", "2024-03-03T10:00:00Z", "PAYMENT"),
                typed("A2", "EUR", "50.00", "2024-03-04T10:00:00Z", "PAYMENT"),
                typed("A1", "EUR", "-1.25", "2024-03-05T10:00:00Z", "FEE"),
                typed("A3", "USD", "7.00", "2024-03-06T10:00:00Z", "INTEREST"),
                typed("A3", "USD", "3.00", "2024-03-07T10:00:00Z", "UNKNOWN")));

        GoldPublication publication = publisher.publish(silver, Set.of());

        assertThat(publication.status()).isEqualTo(Status.PUBLISHED);
        Map<GoldDataset, List<String>> gold = lake.gold(lake.currentGold(publisher));
        assertThat(gold).isEqualTo(lake.expected(silver));
        assertThat(gold.get(GoldDataset.TRANSACTION_SUMMARIES)).containsExactly(
                "2024-03|EUR|FEE|1|-1.25|-1.25|-1.25|-1.2500",
                "2024-03|EUR|PAYMENT|2|150.00|50.00|100.00|75.0000",
                "2024-03|EUR|UNKNOWN|2|7.50|-2.50|10.00|3.7500",
                "2024-03|USD|INTEREST|1|7.00|7.00|7.00|7.0000",
                "2024-03|USD|UNKNOWN|1|3.00|3.00|3.00|3.0000");
        // the type does not split the other datasets
        assertThat(gold.get(GoldDataset.MONTHLY_REPORTS)).hasSize(2);
    }

    private static SilverTransaction typed(String account, String currency, String amount, String at, String type) {
        SilverTransaction v1 = tx(account, currency, amount, at);
        return new SilverTransaction(v1.accountId(), v1.currency(), v1.amountCents(), v1.timestampMicros(), type);
    }

    @Test
    void incrementalRecomputeOfAMiddleMonthEqualsAFullRecomputeAndLeavesEarlierMonthsUntouched() {
        GoldTestLake lake = new GoldTestLake(dir.resolve("incremental"));
        GoldPublisher publisher = lake.publisher();
        for (List<SilverTransaction> run : List.of(firstQuarter(), mayAndJuly(), august())) {
            publisher.publish(lake.appendRun(run), Set.of());
        }
        Map<GoldDataset, TableSnapshot> before = lake.currentGold(publisher);

        TableSnapshot silver = lake.appendRun(mayCorrection());
        GoldPublication publication = publisher.publish(silver, Set.of(YearMonth.parse("2024-05")));

        assertThat(publication.affectedMonths()).containsExactly(YearMonth.parse("2024-05"));
        // read: the month-end state of 2024-04 and the Silver rows of 2024-05..08, nothing earlier
        long laterSilverRows = silver.partitions().tailMap("2024-05").values().stream().flatMap(List::stream)
                .mapToLong(DataFile::rows).sum();
        assertThat(publication.silverRowsRead()).isEqualTo(laterSilverRows);
        assertThat(publication.stateRowsRead()).isEqualTo(before.get(GoldDataset.ACCOUNT_BALANCES).partitions().get("2024-04").get(0).rows());
        Map<GoldDataset, TableSnapshot> after = lake.currentGold(publisher);
        assertThat(publication.datasets().get(GoldDataset.ACCOUNT_BALANCES).replaced())
                .containsExactly("2024-05", "2024-06", "2024-07", "2024-08");
        assertThat(publication.datasets().get(GoldDataset.TRANSACTION_SUMMARIES).replaced()).containsExactly("2024-05");
        // months before the affected one keep their files (and transaction summaries of every other month too)
        for (GoldDataset dataset : GoldDataset.values()) {
            assertThat(after.get(dataset).partitions().headMap("2024-05")).isEqualTo(before.get(dataset).partitions().headMap("2024-05"));
            assertThat(after.get(dataset).source().version()).isEqualTo(silver.version());
        }
        SortedMap<String, List<DataFile>> summariesBefore = new TreeMap<>(before.get(GoldDataset.TRANSACTION_SUMMARIES).partitions());
        SortedMap<String, List<DataFile>> summariesAfter = new TreeMap<>(after.get(GoldDataset.TRANSACTION_SUMMARIES).partitions());
        summariesBefore.remove("2024-05");
        summariesAfter.remove("2024-05");
        assertThat(summariesAfter).isEqualTo(summariesBefore);

        // a full recompute: the same rows as one run into an empty lake, published once
        GoldTestLake full = new GoldTestLake(dir.resolve("full"));
        List<SilverTransaction> all = new ArrayList<>();
        Stream.of(firstQuarter(), mayAndJuly(), august(), mayCorrection()).forEach(all::addAll);
        TableSnapshot fullSilver = full.appendRun(all);
        GoldPublisher fullPublisher = full.publisher();
        fullPublisher.publish(fullSilver, Set.of());

        Map<GoldDataset, List<String>> incremental = lake.gold(after);
        assertThat(incremental).isEqualTo(full.gold(full.currentGold(fullPublisher)));
        assertThat(incremental).isEqualTo(lake.expected(silver));
        assertThat(incremental.get(GoldDataset.MONTHLY_REPORTS)).anyMatch(row -> row.startsWith("2024-08|SEK|0|0|"));
    }

    @Test
    void catchesUpFromTheRecordedLineageAndDropsMonthsThatLeaveSilver() {
        GoldTestLake lake = new GoldTestLake(dir);
        GoldPublisher publisher = lake.publisher();
        TableSnapshot first = lake.appendRun(firstQuarter());
        publisher.publish(first, Set.of());
        lake.appendRun(mayAndJuly());                       // its Gold publish is missed
        TableSnapshot third = lake.appendRun(august());

        GoldPublication caughtUp = publisher.publish(third.version());

        assertThat(caughtUp.affectedMonths()).extracting(YearMonth::toString).containsExactly("2024-05", "2024-07", "2024-08");
        assertThat(lake.gold(lake.currentGold(publisher))).isEqualTo(lake.expected(third));

        // a Silver version without its latest two months (as a rollback would commit)
        TableSnapshot shrunk = lake.commitSilver(base -> {
            TreeMap<String, List<DataFile>> partitions = new TreeMap<>(base.partitions());
            partitions.remove("2024-07");
            partitions.remove("2024-08");
            return Optional.of(new ProposedSnapshot(TableOperation.APPEND, List.of(), partitions));
        });
        GoldPublication dropped = publisher.publishLatest();

        assertThat(dropped.datasets().get(GoldDataset.ACCOUNT_BALANCES).removed()).containsExactly("2024-06", "2024-07", "2024-08");
        assertThat(dropped.datasets().get(GoldDataset.TRANSACTION_SUMMARIES).removed()).containsExactly("2024-07", "2024-08");
        assertThat(lake.currentGold(publisher).get(GoldDataset.MONTHLY_REPORTS).partitions().lastKey()).isEqualTo("2024-05");
        assertThat(lake.gold(lake.currentGold(publisher))).isEqualTo(lake.expected(shrunk));
    }

    @Test
    void aRepeatedOrLatePublishChangesNothingAndLineageResolvesEachSilverVersion() {
        GoldTestLake lake = new GoldTestLake(dir);
        GoldPublisher publisher = lake.publisher();
        TableSnapshot first = lake.appendRun(firstQuarter());
        GoldPublication one = publisher.publish(first, Set.of());
        TableSnapshot second = lake.appendRun(mayAndJuly());
        GoldPublication two = publisher.publish(second, Set.of());

        assertThat(publisher.publish(second, Set.of()).status()).isEqualTo(Status.UP_TO_DATE);
        assertThat(publisher.publish(first, Set.of()).status()).isEqualTo(Status.SUPERSEDED);
        for (GoldDataset dataset : GoldDataset.values()) {
            assertThat(publisher.log(dataset).latestVersion()).isEqualTo(2);
        }

        GoldLineage lineage = new GoldLineage(lake.store, GoldTestLake.LAYOUT);
        Map<GoldDataset, TableSnapshot> atFirst = lineage.resolve(first.version()).orElseThrow();
        for (GoldDataset dataset : GoldDataset.values()) {
            assertThat(atFirst.get(dataset).version()).isEqualTo(one.datasets().get(dataset).snapshot().version());
            assertThat(lineage.resolve(second.version()).orElseThrow().get(dataset).version())
                    .isEqualTo(two.datasets().get(dataset).snapshot().version());
        }
        assertThat(lake.gold(atFirst)).isEqualTo(lake.expected(first));
        assertThat(lineage.resolve(99)).isEmpty();
    }

    private void assertNoStagingLeft() {
        try (Stream<Path> files = Files.list(dir.resolve("work"))) {
            assertThat(files.toList()).isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Random accounts A01..A08 in EUR/USD/GBP over the given months, amounts from -500.00 to 500.00. */
    static List<SilverTransaction> random(long seed, String... months) {
        Random random = new Random(seed);
        List<String> currencies = List.of("EUR", "USD", "GBP");
        List<SilverTransaction> rows = new ArrayList<>();
        for (String month : months) {
            YearMonth ym = YearMonth.parse(month);
            for (int i = 0; i < 40; i++) {
                String account = String.format("A%02d", 1 + random.nextInt(8));
                String currency = currencies.get(random.nextInt(currencies.size()));
                long cents = random.nextLong(100_001) - 50_000;
                Instant at = ym.atDay(1 + random.nextInt(ym.lengthOfMonth())).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                        .plusSeconds(random.nextInt(86_400)).plusNanos(random.nextInt(1_000_000) * 1000L);
                rows.add(SilverTransaction.v1(account, currency, cents, GoldValues.micros(at)));
            }
        }
        return rows;
    }

    static SilverTransaction tx(String account, String currency, String amount, String at) {
        return SilverTransaction.v1(account, currency, new BigDecimal(amount), Instant.parse(at));
    }

    private static long micros(String at) {
        return GoldValues.micros(Instant.parse(at));
    }

    @Test
    void aGoldPartThatDoesNotReadBackAsWrittenIsNeverCommitted(@TempDir Path dir) {
        GoldTestLake lake = new GoldTestLake(dir);
        TableSnapshot silver = lake.appendRun(firstQuarter());
        // between writing a part and reading it back, the stored part changes (a corrupted upload)
        Runnable corruptParts = () -> lake.store.list(GoldTestLake.BUCKETS.gold(), "gold/").stream()
                .filter(o -> o.location().key().endsWith(".parquet"))
                .forEach(o -> lake.store.replace(o.location(), "not the part that was written".getBytes(
                        java.nio.charset.StandardCharsets.UTF_8), "application/octet-stream"));
        dev.mortgagelake.storage.FaultInjectingObjectStore store = new dev.mortgagelake.storage.FaultInjectingObjectStore(lake.store)
                .beforeCall(dev.mortgagelake.storage.FaultInjectingObjectStore.Call.OPEN, key -> key.contains("/as_of_month="), 1, corruptParts)
                .beforeCall(dev.mortgagelake.storage.FaultInjectingObjectStore.Call.DOWNLOAD, key -> key.contains("/as_of_month="), 1, corruptParts);
        GoldPublisher publisher = new GoldPublisher(store, GoldTestLake.LAYOUT, GoldTestLake.FAST, GoldTestLake.CLOCK, dir.resolve("work"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> publisher.publish(silver, Set.of()))
                .isInstanceOf(RuntimeException.class);

        for (GoldDataset dataset : GoldDataset.values()) {
            assertThat(publisher.log(dataset).latestVersion()).as(dataset.tableName()).isZero();
        }
    }
}
