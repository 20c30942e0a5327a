package dev.mortgagelake.validation.reference;

import dev.mortgagelake.validation.contract.CurrencyAllowList;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The currency allow-list as the quality team keeps it in the lake (JSON):
 *
 * <pre>
 * {"description": "ISO-4217 codes accepted in mortgages/transactions", "codes": ["EUR", "GBP", "USD"]}
 * </pre>
 *
 * Invariants enforced by {@link #parse}: {@code codes} is a non-empty array of distinct codes of
 * exactly three upper-case ASCII letters; any other field is ignored (free for the quality team's
 * notes). A document that breaks them is rejected whole: the lake never validates against a partial
 * or empty list.
 *
 * @param codes       the allowed codes, sorted
 * @param description free text
 */
public record CurrencyAllowListDocument(SortedSet<String> codes, String description) implements CurrencyAllowList {

    public CurrencyAllowListDocument {
        if (codes == null || codes.isEmpty()) {
            throw new IllegalArgumentException("a currency allow-list needs at least one code");
        }
        for (String code : codes) {
            if (!isIsoShape(code)) {
                throw new IllegalArgumentException("'" + code + "' is not an ISO-4217 code of three upper-case letters");
            }
        }
        codes = Collections.unmodifiableSortedSet(new TreeSet<>(codes));
    }

    public static CurrencyAllowListDocument of(Collection<String> codes, String description) {
        return new CurrencyAllowListDocument(new TreeSet<>(codes), description);
    }

    /**
     * Parses the stored document.
     *
     * @throws IllegalArgumentException with a readable reason if it is not a valid allow-list
     */
    public static CurrencyAllowListDocument parse(byte[] json) {
        return ReferenceDocumentJson.read(json, (list, description) -> new CurrencyAllowListDocument(new TreeSet<>(list), description));
    }

    public byte[] toJson() {
        return ReferenceDocumentJson.write(description, List.copyOf(codes));
    }

    @Override
    public boolean allows(String code) {
        return codes.contains(code);
    }

    private static boolean isIsoShape(String code) {
        return code != null && code.length() == 3 && code.chars().allMatch(c -> c >= 'A' && c <= 'Z');
    }
}
