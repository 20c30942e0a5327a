package dev.mortgagelake.validation.reference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortgagelake.event.EventCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The stored form every reference-data document shares: {@code {"description": "...", "codes": [...]}}.
 * Reading checks the shape (a JSON object, {@code codes} an array of strings, none twice); what a valid
 * code is, is the document's own rule (its constructor).
 */
final class ReferenceDocumentJson {

    private ReferenceDocumentJson() {
    }

    /**
     * Reads a stored document into {@code document(codes in stored order, description or null)}.
     *
     * @throws IllegalArgumentException with a readable reason if the shape is wrong
     */
    static <D> D read(byte[] json, BiFunction<List<String>, String, D> document) {
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
            if (list.contains(code.asText())) {
                throw new IllegalArgumentException("'codes' lists " + code.asText() + " twice");
            }
            list.add(code.asText());
        }
        JsonNode description = root.get("description");
        return document.apply(list, description == null ? null : description.asText());
    }

    /** The stored form of {@code codes} with {@code description}, pretty-printed. */
    static byte[] write(String description, List<String> codes) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("description", description);
        document.put("codes", codes);
        try {
            return EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
