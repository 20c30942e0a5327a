package dev.mortgagelake.validation.contract;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The seeded transaction-type enumeration ({@code PAYMENT, DISBURSEMENT, INTEREST, FEE, ADJUSTMENT}):
 * what {@link dev.mortgagelake.validation.reference.TransactionTypeReference#seed} writes when a lake is
 * set up, and the fixed list of validators built without reference data (tests, benchmarks). The
 * services read the quality team's list from the lake instead. Immutable and thread-safe.
 */
public final class StandardTransactionTypes implements TransactionTypes {

    /** The seeded types, in the enumeration's order. */
    public static final List<String> CODES = List.of("PAYMENT", "DISBURSEMENT", "INTEREST", "FEE", "ADJUSTMENT");

    private static final StandardTransactionTypes INSTANCE = new StandardTransactionTypes();

    private StandardTransactionTypes() {
    }

    public static StandardTransactionTypes instance() {
        return INSTANCE;
    }

    @Override
    public boolean allows(String type) {
        return CODES.contains(type);
    }

    /** The types in alphabetical order. */
    public SortedSet<String> codes() {
        return new TreeSet<>(CODES);
    }

    @Override
    public String toString() {
        return "StandardTransactionTypes" + CODES;
    }
}
