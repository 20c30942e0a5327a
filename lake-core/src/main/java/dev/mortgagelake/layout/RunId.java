package dev.mortgagelake.layout;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A run's identity: {@code yyyyMMdd'T'HHmmssSSS'Z'-xxxxxxxx[_KIND]}, e.g.
 * {@code 20260121T120000123Z-3f9a1c2e} or {@code 20260128T090000000Z-0b1c2d3e_BACKFILL}.
 *
 * <p>The UTC timestamp prefix makes run ids sort by creation time (as strings); the random suffix
 * makes two runs created in the same millisecond distinct. The optional suffix names runs that are
 * not first ingests ({@code _BACKFILL}, {@code _RETRY}).
 */
public record RunId(String value) implements Comparable<RunId> {

    private static final Pattern FORMAT = Pattern.compile("\\d{8}T\\d{9}Z-[0-9a-f]{8}(_[A-Z]+)?");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    public RunId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("Not a run id (expected yyyyMMddTHHmmssSSSZ-xxxxxxxx[_KIND]): '" + value + "'");
        }
    }

    /** A new run id for a run created at {@code now}. */
    public static RunId newRun(Instant now) {
        return newRun(now, null);
    }

    /** A new run id with a kind suffix ({@code BACKFILL}, {@code RETRY}); {@code kind} may be null. */
    public static RunId newRun(Instant now, String kind) {
        byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        String id = STAMP.format(now) + "-" + HexFormat.of().formatHex(suffix);
        return new RunId(kind == null ? id : id + "_" + kind);
    }

    /**
     * The run that attempt {@code attempt} of a ledger batch becomes: kind {@code _RETRY}, the
     * timestamp of {@code at} (when the attempt was scheduled), and a suffix derived from the batch,
     * its kind and the attempt, so that scheduling the same attempt again (a redelivered event, a
     * restarted service) names the same run, and different batches or attempts never share one.
     */
    public static RunId forRetry(String batchRunId, String batchKind, int attempt, Instant at) {
        byte[] digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((batchRunId + "/" + batchKind + "/" + attempt).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
        return new RunId(STAMP.format(at) + "-" + HexFormat.of().formatHex(digest, 0, 4) + "_RETRY");
    }

    /** Whether this is a retry run ({@code _RETRY}). */
    public boolean isRetry() {
        return value.endsWith("_RETRY");
    }

    public static RunId of(String value) {
        return new RunId(value);
    }

    /** When the run was created (its timestamp prefix, to the millisecond). */
    public Instant createdAt() {
        return Instant.from(STAMP.parse(value.substring(0, 19)));
    }

    @Override
    public int compareTo(RunId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
