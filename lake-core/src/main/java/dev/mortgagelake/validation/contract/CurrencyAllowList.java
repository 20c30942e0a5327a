package dev.mortgagelake.validation.contract;

/**
 * The ISO-4217 currency codes a transaction may carry. The quality team maintains the list as
 * reference data; this port lets the validation rules ask without knowing where the list lives.
 *
 * <p>Implementations must be safe for concurrent use and must answer consistently for the duration
 * of one run. {@code code} is always exactly three upper-case ASCII letters when the rules ask
 * (format is checked first), so implementations need not handle other shapes.
 */
@FunctionalInterface
public interface CurrencyAllowList {

    /** Whether {@code code} is an allowed currency. */
    boolean allows(String code);
}
