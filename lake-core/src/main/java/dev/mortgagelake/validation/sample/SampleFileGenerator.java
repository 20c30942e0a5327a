package dev.mortgagelake.validation.sample;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.mortgagelake.validation.contract.ContractV1;
import dev.mortgagelake.validation.contract.RowErrorCode;

import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Writes seeded, reproducible contract-v1 CSV files for demos, benchmarks and system tests: the same
 * {@link Options} always give the same bytes. Valid rows spread evenly over the chosen business
 * months (UTC); a chosen fraction of rows is invalid, each of one {@link InvalidKind}, drawn at
 * random. Valid rows pass the contract with the default currency allow-list as long as the validation
 * time is after the last month. Transaction ids are unique ({@code T} + 12 digits); no exact
 * duplicate rows are generated.
 */
public final class SampleFileGenerator {

    /** The kinds of invalid rows the generator writes, each with the one error code it must produce. */
    public enum InvalidKind {
        AMOUNT_THOUSANDS_SEPARATOR(RowErrorCode.AMOUNT_FORMAT),
        AMOUNT_TOO_MANY_DECIMALS(RowErrorCode.AMOUNT_SCALE),
        CURRENCY_LOWER_CASE(RowErrorCode.CURRENCY_FORMAT),
        CURRENCY_NOT_ALLOWED(RowErrorCode.CURRENCY_NOT_ALLOWED),
        MISSING_CUSTOMER_ID(RowErrorCode.REQUIRED),
        TIMESTAMP_WITHOUT_ZONE(RowErrorCode.TIMESTAMP_NO_ZONE),
        MISSING_FIELD(RowErrorCode.FIELD_COUNT),
        WHITESPACE_AROUND_CURRENCY(RowErrorCode.WHITESPACE);

        private final RowErrorCode expectedCode;

        InvalidKind(RowErrorCode expectedCode) {
            this.expectedCode = expectedCode;
        }

        /** The only error code a row of this kind gets. */
        public RowErrorCode expectedCode() {
            return expectedCode;
        }
    }

    /**
     * What to generate.
     *
     * @param rows            data rows (the header is extra)
     * @param seed            the random seed
     * @param invalidFraction fraction of rows that are invalid, 0..1
     * @param firstMonth      the first business month
     * @param months          how many consecutive months the timestamps cover
     * @param accounts        how many distinct customer ids occur
     * @param gzip            whether to gzip the output
     */
    public record Options(long rows, long seed, double invalidFraction, YearMonth firstMonth, int months, int accounts,
                          boolean gzip) {

        public Options {
            Objects.requireNonNull(firstMonth, "firstMonth");
            if (rows < 0 || months < 1 || accounts < 1 || invalidFraction < 0 || invalidFraction > 1) {
                throw new IllegalArgumentException("Invalid sample options: rows=" + rows + ", months=" + months + ", accounts="
                        + accounts + ", invalidFraction=" + invalidFraction);
            }
        }

        /** {@code rows} rows, 2% invalid, over January to March 2024, 1000 accounts, plain CSV. */
        public static Options of(long rows, long seed) {
            return new Options(rows, seed, 0.02, YearMonth.of(2024, 1), 3, 1000, false);
        }

        public Options withInvalidFraction(double value) {
            return new Options(rows, seed, value, firstMonth, months, accounts, gzip);
        }

        public Options withMonths(YearMonth first, int count) {
            return new Options(rows, seed, invalidFraction, first, count, accounts, gzip);
        }

        public Options withGzip(boolean value) {
            return new Options(rows, seed, invalidFraction, firstMonth, months, accounts, value);
        }
    }

    /**
     * What was written.
     *
     * @param validByMonth  valid rows per business month ({@code YYYY-MM}, UTC)
     * @param invalidByKind invalid rows per kind
     */
    public record Result(long rows, long validRows, long invalidRows, Map<String, Long> validByMonth,
                         Map<InvalidKind, Long> invalidByKind) {
        public Result {
            validByMonth = Collections.unmodifiableMap(new TreeMap<>(validByMonth));
            invalidByKind = Collections.unmodifiableMap(new EnumMap<>(invalidByKind));
        }
    }

    private static final List<String> CURRENCIES = List.of("EUR", "EUR", "EUR", "USD", "GBP", "CHF");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");
    private static final ZoneOffset PLUS_ONE = ZoneOffset.ofHours(1);

    private SampleFileGenerator() {
    }

    /** Writes the file to {@code out} (not closed) and reports what it holds. */
    public static Result write(Options options, OutputStream out) throws IOException {
        OutputStream target = new NonClosing(out);
        GZIPOutputStream gzip = options.gzip() ? new GZIPOutputStream(target, 64 * 1024) : null;
        Writer writer = new BufferedWriter(new OutputStreamWriter(gzip != null ? gzip : target, StandardCharsets.UTF_8), 64 * 1024);
        SplittableRandom random = new SplittableRandom(options.seed());
        long start = options.firstMonth().atDay(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        YearMonth end = options.firstMonth().plusMonths(options.months());
        long span = end.atDay(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond() - start;
        Map<String, Long> validByMonth = new TreeMap<>();
        Map<InvalidKind, Long> invalidByKind = new EnumMap<>(InvalidKind.class);
        InvalidKind[] kinds = InvalidKind.values();
        long invalid = 0;
        try (CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(writer)) {
            csv.writeRecord(ContractV1.COLUMNS);
            for (long row = 0; row < options.rows(); row++) {
                String transactionId = String.format(Locale.ROOT, "T%012d", row + 1);
                String customerId = String.format(Locale.ROOT, "C%06d", random.nextInt(options.accounts()) + 1);
                long cents = random.nextLong(-50_000_00L, 500_000_00L);
                String amount = BigDecimal.valueOf(cents, 2).toPlainString();
                String currency = CURRENCIES.get(random.nextInt(CURRENCIES.size()));
                Instant instant = Instant.ofEpochSecond(start + random.nextLong(span), random.nextInt(1000) * 1_000_000L);
                String timestamp = formatTimestamp(instant, random.nextInt(4));
                boolean isInvalid = random.nextDouble() < options.invalidFraction();
                if (!isInvalid) {
                    csv.writeRecord(transactionId, customerId, amount, currency, timestamp);
                    validByMonth.merge(YearMonth.from(instant.atOffset(ZoneOffset.UTC)).toString(), 1L, Long::sum);
                    continue;
                }
                InvalidKind kind = kinds[random.nextInt(kinds.length)];
                invalid++;
                invalidByKind.merge(kind, 1L, Long::sum);
                switch (kind) {
                    case AMOUNT_THOUSANDS_SEPARATOR -> csv.writeRecord(transactionId, customerId, String.format(Locale.ROOT,
                            "%,d.%02d", Math.abs(cents) / 100 + 1000, Math.abs(cents) % 100), currency, timestamp);
                    case AMOUNT_TOO_MANY_DECIMALS -> csv.writeRecord(transactionId, customerId, amount + "5", currency,
                            timestamp);
                    case CURRENCY_LOWER_CASE -> csv.writeRecord(transactionId, customerId, amount,
                            currency.toLowerCase(Locale.ROOT), timestamp);
                    case CURRENCY_NOT_ALLOWED -> csv.writeRecord(transactionId, customerId, amount, "XYZ", timestamp);
                    case MISSING_CUSTOMER_ID -> csv.writeRecord(transactionId, "", amount, currency, timestamp);
                    case TIMESTAMP_WITHOUT_ZONE -> csv.writeRecord(transactionId, customerId, amount, currency,
                            SECONDS.format(instant.atOffset(ZoneOffset.UTC)));
                    case MISSING_FIELD -> csv.writeRecord(transactionId, customerId, amount, currency);
                    case WHITESPACE_AROUND_CURRENCY -> csv.writeRecord(transactionId, customerId, amount, " " + currency, timestamp);
                    default -> throw new IllegalStateException("Unhandled kind " + kind);
                }
            }
        }
        out.flush();
        return new Result(options.rows(), options.rows() - invalid, invalid, validByMonth, invalidByKind);
    }

    /** Four shapes of an instant: UTC with seconds, UTC with milliseconds, +01:00 with seconds, +01:00 with milliseconds. */
    private static String formatTimestamp(Instant instant, int shape) {
        Instant seconds = Instant.ofEpochSecond(instant.getEpochSecond());
        return switch (shape) {
            case 0 -> SECONDS.format(seconds.atOffset(ZoneOffset.UTC)) + "Z";
            case 1 -> MILLIS.format(instant.atOffset(ZoneOffset.UTC)) + "Z";
            case 2 -> SECONDS.format(seconds.atOffset(PLUS_ONE)) + "+01:00";
            default -> MILLIS.format(instant.atOffset(PLUS_ONE)) + "+01:00";
        };
    }

    /** Keeps the caller's stream open when the CSV and gzip layers close. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
