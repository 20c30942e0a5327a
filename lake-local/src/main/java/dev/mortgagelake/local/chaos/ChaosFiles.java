package dev.mortgagelake.local.chaos;

import dev.mortgagelake.validation.contract.ContractV1;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * The files of a chaos run, generated from its seed: mixed sizes (mostly small, some of a few thousand
 * rows, a few of up to 20,000), about 2% bad rows of several kinds (three decimals, a currency that is
 * never allowed, a malformed timestamp, a row repeated exactly inside the file), gzip or plain CSV.
 * Transaction ids are unique across files, so the TransactionIDs that must end in Silver are known
 * exactly: every valid row, plus the rows in {@link #RETRY_CURRENCY}, which the run adds to the
 * allow-list after the first file (the retry cycle) has been validated.
 */
public final class ChaosFiles {

    /** Not on the allow-list when the run starts; added during the run, so its rows pass on a retry. */
    public static final String RETRY_CURRENCY = "MXN";
    private static final String[] CURRENCIES = {"EUR", "EUR", "EUR", "USD", "GBP", "CHF"};

    /** One generated file and the ids it must put into Silver. */
    public record ChaosFile(int index, String name, Path path, long rows, Set<String> silverIds, long badRows, long retryRows) {
    }

    private ChaosFiles() {
    }

    /**
     * Writes file {@code index} of a run. File 0 is the retry file: its rows in {@link #RETRY_CURRENCY}
     * are quarantined at first and pass once the currency is allowed.
     */
    public static ChaosFile write(Path dir, long seed, int index) throws IOException {
        Random random = new Random(seed * 1_000_003L + index);
        int size = random.nextInt(100);
        int rows = size < 65 ? 20 + random.nextInt(300) : size < 93 ? 1_000 + random.nextInt(4_000) : 10_000 + random.nextInt(10_000);
        boolean gzip = random.nextBoolean();
        String name = String.format("chaos-%d-%03d.csv%s", seed, index, gzip ? ".gz" : "");
        Files.createDirectories(dir);
        Path path = dir.resolve(name);
        long start = LocalDateTime.of(2024, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
        long span = LocalDateTime.of(2024, 7, 1, 0, 0).toEpochSecond(ZoneOffset.UTC) - start;
        Set<String> silver = new LinkedHashSet<>();
        List<String> validLines = new ArrayList<>();
        long bad = 0;
        long retry = 0;
        try (OutputStream raw = Files.newOutputStream(path);
             Writer w = new BufferedWriter(new OutputStreamWriter(gzip ? new GZIPOutputStream(raw, 64 * 1024) : raw, StandardCharsets.UTF_8),
                     64 * 1024)) {
            w.write(String.join(",", ContractV1.COLUMNS));
            w.write('\n');
            for (int row = 0; row < rows; row++) {
                String id = "X" + seed + "-" + index + "-" + row;
                String customer = "C" + (1_000 + random.nextInt(300));
                String amount = BigDecimal.valueOf(random.nextLong(-50_000_00L, 500_000_00L), 2).toPlainString();
                String currency = CURRENCIES[random.nextInt(CURRENCIES.length)];
                String timestamp = Instant.ofEpochSecond(start + random.nextLong(span)).toString();
                int kind = random.nextInt(1000);
                if (index == 0 && row % 7 == 3) {
                    currency = RETRY_CURRENCY;
                    retry++;
                    silver.add(id);
                } else if (kind < 5) {
                    amount = amount + "7"; // three decimals: AMOUNT_SCALE, never passes
                    bad++;
                } else if (kind < 10) {
                    currency = "XQZ"; // never allowed: retried, then condemned
                    bad++;
                } else if (kind < 15) {
                    timestamp = timestamp.replace("T", " "); // TIMESTAMP_FORMAT
                    bad++;
                } else if (kind < 20 && !validLines.isEmpty()) {
                    // an exact copy of an earlier valid row of this file: condemned DUPLICATE_EXACT
                    w.write(validLines.get(random.nextInt(validLines.size())));
                    bad++;
                    continue;
                } else {
                    silver.add(id);
                }
                String line = id + "," + customer + "," + amount + "," + currency + "," + timestamp + "\n";
                if (silver.contains(id) && !currency.equals(RETRY_CURRENCY) && validLines.size() < 50) {
                    validLines.add(line);
                }
                w.write(line);
            }
        }
        return new ChaosFile(index, name, path, rows, silver, bad, retry);
    }
}
