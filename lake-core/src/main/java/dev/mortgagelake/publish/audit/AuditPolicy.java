package dev.mortgagelake.publish.audit;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The audit gate's thresholds.
 *
 * @param maxQuarantineRate  a run whose {@code quarantined / rows_read} exceeds this is held
 *                           (default 0.05, the seed's alarm); 1 disables the check
 * @param rowCountFactor     a run whose Silver rows lie outside {@code [median / factor, median * factor]}
 *                           of the recent runs is held (default 4); 0 disables the check
 * @param rowCountHistory    how many recent promoted runs of the same source make the median (default 10)
 * @param rowCountMinHistory the row-count check applies only with at least this many recent runs (default 3)
 * @param holdOnDrift        hold a run with unknown or missing columns (default true)
 */
public record AuditPolicy(BigDecimal maxQuarantineRate, int rowCountFactor, int rowCountHistory, int rowCountMinHistory,
                          boolean holdOnDrift) {

    /** The defaults above. */
    public static final AuditPolicy DEFAULT = new AuditPolicy(new BigDecimal("0.05"), 4, 10, 3, true);

    /** Holds nothing for quality reasons (integrity checks still apply). */
    public static final AuditPolicy DISABLED = new AuditPolicy(BigDecimal.ONE, 0, 10, 3, false);

    public AuditPolicy {
        Objects.requireNonNull(maxQuarantineRate, "maxQuarantineRate");
        if (maxQuarantineRate.signum() < 0 || maxQuarantineRate.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("maxQuarantineRate must be within [0, 1]: " + maxQuarantineRate);
        }
        if (rowCountFactor < 0 || rowCountHistory < 1 || rowCountMinHistory < 1 || rowCountMinHistory > rowCountHistory) {
            throw new IllegalArgumentException("Need rowCountFactor >= 0 and 1 <= rowCountMinHistory <= rowCountHistory");
        }
    }
}
