package dev.mortgagelake.ingest.notification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortgagelake.event.InvalidEventException;
import dev.mortgagelake.storage.Location;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads (and, for the local stack, writes) Amazon S3 event notifications in S3's own JSON format:
 * {@code {"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":..},
 * "object":{"key":..,"size":..,"eTag":..}}}]}}. Object keys arrive URL-encoded (spaces as {@code +}).
 * The {@code s3:TestEvent} S3 sends when a notification is configured, and records other than
 * {@code ObjectCreated:*}, yield no landed objects.
 */
public final class S3EventNotifications {

    private static final ObjectMapper JSON = new ObjectMapper();

    private S3EventNotifications() {
    }

    /**
     * The created objects a notification reports.
     *
     * @throws InvalidEventException if the body is not an S3 event notification
     */
    public static List<LandedObject> createdObjects(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(InvalidEventException.Reason.NOT_JSON, "Landing notification is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidEventException(InvalidEventException.Reason.NOT_JSON, "Landing notification is not a JSON object");
        }
        if ("s3:TestEvent".equals(root.path("Event").asText())) {
            return List.of();
        }
        JsonNode records = root.get("Records");
        if (records == null || !records.isArray()) {
            throw new InvalidEventException(InvalidEventException.Reason.UNKNOWN_TYPE, "Landing notification has no Records array (not an S3 event notification)");
        }
        List<LandedObject> created = new ArrayList<>();
        for (JsonNode record : records) {
            if (!"aws:s3".equals(record.path("eventSource").asText()) || !record.path("eventName").asText().startsWith("ObjectCreated:")) {
                continue;
            }
            JsonNode s3 = record.path("s3");
            String bucket = s3.path("bucket").path("name").asText(null);
            String encodedKey = s3.path("object").path("key").asText(null);
            if (bucket == null || encodedKey == null) {
                throw new InvalidEventException("S3 ObjectCreated record without bucket name or object key");
            }
            String key = URLDecoder.decode(encodedKey, StandardCharsets.UTF_8);
            created.add(new LandedObject(new Location(bucket, key), s3.path("object").path("size").asLong(-1),
                    stripQuotes(s3.path("object").path("eTag").asText(null)), eventTime(record)));
        }
        return created;
    }

    /**
     * An {@code ObjectCreated:Put} notification exactly as S3 would send it. The local stack uses it
     * where the S3 server cannot deliver notifications itself.
     */
    public static String objectCreated(Location location, long size, String etag, Instant eventTime) {
        ObjectNode record = JSON.createObjectNode()
                .put("eventVersion", "2.1")
                .put("eventSource", "aws:s3")
                .put("awsRegion", "us-east-1")
                .put("eventTime", eventTime.toString())
                .put("eventName", "ObjectCreated:Put");
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0").put("configurationId", "lake-landing");
        s3.putObject("bucket").put("name", location.bucket()).put("arn", "arn:aws:s3:::" + location.bucket());
        s3.putObject("object")
                .put("key", URLEncoder.encode(location.key(), StandardCharsets.UTF_8).replace("%2F", "/"))
                .put("size", size)
                .put("eTag", etag)
                .put("sequencer", Long.toHexString(eventTime.toEpochMilli()).toUpperCase());
        ObjectNode root = JSON.createObjectNode();
        ArrayNode records = root.putArray("Records");
        records.add(record);
        return root.toString();
    }

    private static Instant eventTime(JsonNode record) {
        String text = record.path("eventTime").asText(null);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("S3 record has an unreadable eventTime '" + text + "'", e);
        }
    }

    private static String stripQuotes(String etag) {
        if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            return etag.substring(1, etag.length() - 1);
        }
        return etag;
    }
}
