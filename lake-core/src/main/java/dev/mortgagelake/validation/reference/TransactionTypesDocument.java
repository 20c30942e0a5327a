package dev.mortgagelake.validation.reference;

import dev.mortgagelake.validation.contract.ContractV1;
import dev.mortgagelake.validation.contract.TransactionTypes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The transaction-type enumeration as the quality team keeps it in the lake (JSON), shaped like the
 * currency allow-list:
 *
 * <pre>
 * {"description": "...", "codes": ["PAYMENT", "DISBURSEMENT", "INTEREST", "FEE", "ADJUSTMENT"]}
 * </pre>
 *
 * Invariants enforced by {@link #parse}: {@code codes} is a non-empty array of distinct, non-empty
 * strings without leading or trailing whitespace, and never {@code UNKNOWN} (the lake's marker for a
 * row without a type, so a source cannot claim it); any other field is ignored. A document that breaks
 * them is rejected whole: the lake never validates against a partial or empty enumeration.
 *
 * @param codes       the types, in the document's order
 * @param description free text
 */
public record TransactionTypesDocument(List<String> codes, String description) implements TransactionTypes {

    public TransactionTypesDocument {
        if (codes == null || codes.isEmpty()) {
            throw new IllegalArgumentException("a transaction-type enumeration needs at least one type");
        }
        List<String> seen = new ArrayList<>();
        for (String code : codes) {
            if (code == null || code.isEmpty() || !code.strip().equals(code)) {
                throw new IllegalArgumentException("'" + code + "' is not a transaction type (empty, or surrounded by whitespace)");
            }
            if (ContractV1.UNKNOWN_TRANSACTION_TYPE.equals(code)) {
                throw new IllegalArgumentException("'" + code + "' is reserved: it marks a row without a transaction type");
            }
            if (seen.contains(code)) {
                throw new IllegalArgumentException("'codes' lists " + code + " twice");
            }
            seen.add(code);
        }
        codes = List.copyOf(codes);
    }

    public static TransactionTypesDocument of(Collection<String> codes, String description) {
        return new TransactionTypesDocument(List.copyOf(codes), description);
    }

    /**
     * Parses the stored document.
     *
     * @throws IllegalArgumentException with a readable reason if it is not a valid enumeration
     */
    public static TransactionTypesDocument parse(byte[] json) {
        return ReferenceDocumentJson.read(json, TransactionTypesDocument::new);
    }

    public byte[] toJson() {
        return ReferenceDocumentJson.write(description, codes);
    }

    @Override
    public boolean allows(String type) {
        return codes.contains(type);
    }
}
