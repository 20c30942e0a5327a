package dev.mortgagelake.gold;

import dev.mortgagelake.publish.table.TableSnapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Gold publishing cost against history length (the target: a run that touches one month costs
 * the same with 1 or 60 months of history). For each history length H: a Silver table with H months
 * (one run per month, the same accounts every month), Gold published after each; then a run adding
 * rows to the newest month is promoted and its Gold publish is timed. Prints one line per H.
 *
 * <p>Run (from the repository root; Hadoop is left off the class path, as in production):
 * <pre>
 * ./mvnw -B -o -q -pl lake-core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/lake-core.cp \
 *     -Dmdep.includeScope=test -Dmdep.excludeArtifactIds=hadoop-client-api
 * java -cp lake-core/target/classes:lake-core/target/test-classes:$(cat /tmp/lake-core.cp) \
 *     dev.mortgagelake.gold.GoldPublishBenchmark [accounts=2000] [rowsPerMonth=20000] [repeats=5]
 * </pre>
 */
public final class GoldPublishBenchmark {

    private GoldPublishBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int accounts = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rowsPerMonth = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        System.out.printf("Gold publish of a run touching the newest month: %d accounts x 2 currencies, %d Silver rows per month,"
                + " %d-row run, median of %d%n", accounts, rowsPerMonth, rowsPerMonth / 10, repeats);
        System.out.println("history_months  silver_rows_total  silver_rows_read  state_rows_read  gold_months_rewritten  median_ms  min_ms  max_ms");
        for (int history : new int[] {1, 12, 60, 1, 60}) {
            Path dir = Files.createTempDirectory("gold-bench-");
            try {
                run(dir, history, accounts, rowsPerMonth, repeats);
            } finally {
                try (Stream<Path> paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static void run(Path dir, int history, int accounts, int rowsPerMonth, int repeats) {
        GoldTestLake lake = new GoldTestLake(dir);
        GoldPublisher publisher = lake.publisher();
        Random random = new Random(history);
        YearMonth first = YearMonth.of(2020, 1);
        YearMonth newest = first.plusMonths(history - 1L);
        TableSnapshot silver = null;
        for (YearMonth month = first; !month.isAfter(newest); month = month.plusMonths(1)) {
            silver = lake.appendRun(rows(random, month, accounts, rowsPerMonth));
            publisher.publish(silver, Set.of(month));
        }
        long[] nanos = new long[repeats];
        long rewritten = 0;
        long silverRead = 0;
        long stateRead = 0;
        for (int i = 0; i < repeats; i++) {
            silver = lake.appendRun(rows(random, newest, accounts, rowsPerMonth / 10));
            long start = System.nanoTime();
            GoldPublication publication = publisher.publish(silver, Set.of(newest));
            nanos[i] = System.nanoTime() - start;
            rewritten = publication.datasets().get(GoldDataset.ACCOUNT_BALANCES).replaced().size();
            silverRead = publication.silverRowsRead();
            stateRead = publication.stateRowsRead();
        }
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        System.out.printf("%14d  %17d  %16d  %15d  %21d  %9.1f  %6.1f  %6.1f%n", history, silver.summary().totalRows(), silverRead,
                stateRead, rewritten,
                sorted[repeats / 2] / 1e6, sorted[0] / 1e6, sorted[repeats - 1] / 1e6);
    }

    private static List<SilverTransaction> rows(Random random, YearMonth month, int accounts, int count) {
        List<SilverTransaction> rows = new ArrayList<>(count);
        long monthStart = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        long seconds = month.lengthOfMonth() * 86_400L;
        for (int i = 0; i < count; i++) {
            String account = "ACC" + random.nextInt(accounts);
            String currency = random.nextBoolean() ? "EUR" : "USD";
            long cents = random.nextLong(2_000_001) - 1_000_000;
            Instant at = Instant.ofEpochSecond(monthStart + random.nextLong(seconds));
            rows.add(SilverTransaction.v1(account, currency, cents, GoldValues.micros(at)));
        }
        return rows;
    }
}
