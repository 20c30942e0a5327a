package dev.mortgagelake.validation.reference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.validation.contract.ContractV1;
import dev.mortgagelake.validation.contract.TransactionTypes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        JsonNode root;
        try {
            root = EventCodec.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the document is not a JSON object");
        }
        JsonNode codes = root.get("codes");
        if (codes == null || !codes.isArray()) {
            throw new IllegalArgumentException("'codes' is missing or not an array");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode code : codes) {
            if (!code.isTextual()) {
                throw new IllegalArgumentException("'codes' holds a non-string value " + code);
            }
            list.add(code.asText());
        }
        JsonNode description = root.get("description");
        return new TransactionTypesDocument(list, description == null ? null : description.asText());
    }

    public byte[] toJson() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("description", description);
        document.put("codes", codes);
        try {
            return EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean allows(String type) {
        return codes.contains(type);
    }
}
