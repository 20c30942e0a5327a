package dev.mortgagelake.validation.contract;

/**
 * The transaction types a record's {@code TransactionType} may carry (contract v1.1). The quality team
 * maintains the enumeration as reference data, like the currency allow-list; this port lets the rules
 * ask without knowing where it lives.
 *
 * <p>Implementations must be safe for concurrent use and answer consistently for the duration of one
 * run. {@code type} is never empty when the rules ask (an empty value is {@code UNKNOWN}, not asked).
 */
@FunctionalInterface
public interface TransactionTypes {

    /** Whether {@code type} is on the enumeration (matched exactly: case and whitespace count). */
    boolean allows(String type);
}
