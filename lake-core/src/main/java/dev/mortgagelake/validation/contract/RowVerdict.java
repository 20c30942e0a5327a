package dev.mortgagelake.validation.contract;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of checking one record against the contract: either valid, with the exact parsed
 * values, or invalid, with every violated rule.
 *
 * @param errors          the violated rules in column order; empty when the record is valid
 * @param amountUnscaled  for a valid record: the amount in cents (the unscaled value of DECIMAL(18,2))
 * @param timestampMicros for a valid record: the business time in microseconds since the epoch (UTC)
 * @param transactionType for a valid record: its Silver {@code transaction_type} (the value read, or
 *                        {@link ContractV1#UNKNOWN_TRANSACTION_TYPE}); {@code null} for an invalid one
 */
public record RowVerdict(List<RowError> errors, long amountUnscaled, long timestampMicros, String transactionType) {

    public RowVerdict {
        errors = List.copyOf(errors);
    }

    static RowVerdict valid(long amountUnscaled, long timestampMicros, String transactionType) {
        return new RowVerdict(List.of(), amountUnscaled, timestampMicros, transactionType);
    }

    static RowVerdict invalid(List<RowError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("An invalid verdict needs at least one error");
        }
        return new RowVerdict(errors, 0, 0, null);
    }

    public boolean isValid() {
        return errors.isEmpty();
    }

    /** The amount as an exact decimal with scale 2 (valid records only). */
    public BigDecimal amount() {
        requireValid();
        return BigDecimal.valueOf(amountUnscaled, 2);
    }

    /** The business time (valid records only). */
    public Instant timestamp() {
        requireValid();
        return Instant.ofEpochSecond(Math.floorDiv(timestampMicros, 1_000_000L), Math.floorMod(timestampMicros, 1_000_000L) * 1_000L);
    }

    /** The distinct codes in order of first occurrence. */
    public List<String> errorCodes() {
        List<String> codes = new ArrayList<>(errors.size());
        for (RowError error : errors) {
            String code = error.code().name();
            if (!codes.contains(code)) {
                codes.add(code);
            }
        }
        return codes;
    }

    /** {@code CODE: message; CODE: message}: the quarantine's {@code validation_error}. */
    public String describe() {
        return errors.stream().map(RowError::toString).collect(Collectors.joining("; "));
    }

    private void requireValid() {
        if (!isValid()) {
            throw new IllegalStateException("The record is invalid: " + describe());
        }
    }
}
