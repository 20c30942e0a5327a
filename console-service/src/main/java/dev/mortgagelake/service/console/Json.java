package dev.mortgagelake.service.console;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading the services' JSON into the plain strings pages show. */
public final class Json {

    private Json() {
    }

    /** A field as text; "" when missing or null. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "" : value.asText();
    }

    public static long number(JsonNode node, String field) {
        return node.path(field).asLong(0);
    }

    /** An S3 location document ({@code bucket}, {@code key}) as {@code s3://bucket/key}; "" when absent. */
    public static String location(JsonNode location) {
        if (location == null || location.isMissingNode() || location.isNull() || !location.has("key")) {
            return "";
        }
        return "s3://" + location.path("bucket").asText() + "/" + location.path("key").asText();
    }

    /** {@code {"A": 2, "B": 1}} as {@code "A 2 · B 1"}. */
    public static String counts(JsonNode counts) {
        List<String> parts = new ArrayList<>();
        counts.fields().forEachRemaining(e -> parts.add(e.getKey() + " " + e.getValue().asText()));
        return String.join(" · ", parts);
    }

    /** Text values of an array. */
    public static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.isNull() ? "" : v.asText()));
        return values;
    }

    /** A rate such as 0.0213 as "2.13%". */
    public static String percent(BigDecimal rate) {
        return rate.multiply(BigDecimal.valueOf(100)).setScale(2, RoundingMode.HALF_EVEN).toPlainString() + "%";
    }

    /** A field's entries, in the service's order. */
    public static List<Map.Entry<String, JsonNode>> entries(JsonNode node) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        node.fields().forEachRemaining(entries::add);
        return entries;
    }
}
