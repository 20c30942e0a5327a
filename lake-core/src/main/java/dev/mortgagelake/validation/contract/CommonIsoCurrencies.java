package dev.mortgagelake.validation.contract;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The default {@link CurrencyAllowList}: a fixed set of common ISO-4217 codes, used until the
 * quality team's reference data is loaded from the lake. Immutable and thread-safe.
 */
public final class CommonIsoCurrencies implements CurrencyAllowList {

    /** The codes this list allows. */
    public static final Set<String> CODES = Set.of(
            "EUR", "USD", "GBP", "CHF", "JPY", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF",
            "CAD", "AUD", "NZD", "SGD", "HKD");

    private static final CommonIsoCurrencies INSTANCE = new CommonIsoCurrencies();

    private CommonIsoCurrencies() {
    }

    public static CommonIsoCurrencies instance() {
        return INSTANCE;
    }

    @Override
    public boolean allows(String code) {
        return CODES.contains(code);
    }

    /** The allowed codes in alphabetical order. */
    public SortedSet<String> codes() {
        return new TreeSet<>(CODES);
    }

    @Override
    public String toString() {
        return "CommonIsoCurrencies" + codes();
    }
}
