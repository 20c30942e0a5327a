package dev.mortgagelake.service.console.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortgagelake.service.console.ConsoleConfig;
import dev.mortgagelake.service.console.session.ConsoleSession;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Calls the services' operator APIs as the signed-in person: every request carries that person's own
 * {@code Authorization} header and nothing else, so the owning service authenticates them, checks their
 * role (and the four-eyes rule) and records the action in its own audit trail under their name. The
 * console has no credentials of its own.
 */
@ApplicationScoped
public class LakeServices {

    private static final Logger LOG = Logger.getLogger(LakeServices.class);
    /** Run ids, request ids, table names: nothing that could leave the path segment. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Inject
    ConsoleConfig config;

    @Inject
    ObjectMapper json;

    public Reply get(ConsoleSession who, LakeService service, String path) {
        return send(who, service, HttpRequest.newBuilder(uri(service, path)).GET());
    }

    public Reply post(ConsoleSession who, LakeService service, String path, Object body) {
        try {
            byte[] bytes = json.writeValueAsBytes(body == null ? Map.of() : body);
            return send(who, service, HttpRequest.newBuilder(uri(service, path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode a request body", e);
        }
    }

    /** A path segment taken from a URL or form: only the characters ids and table names use. */
    public static String segment(String value) {
        if (value == null || !SEGMENT.matcher(value).matches()) {
            throw new jakarta.ws.rs.NotFoundException("Not a valid id: " + value);
        }
        return value;
    }

    /** A query parameter value, encoded. */
    public static String query(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    private Reply send(ConsoleSession who, LakeService service, HttpRequest.Builder request) {
        request.timeout(config.callTimeout()).header("Accept", "application/json").header("Authorization", who.authorization());
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = null;
            if (response.body().length > 0) {
                try {
                    body = json.readTree(response.body());
                } catch (IOException e) {
                    body = null;
                }
            }
            return new Reply(service, response.statusCode(), body);
        } catch (IOException e) {
            LOG.warnf("%s did not answer: %s", service.serviceName(), e.toString());
            return Reply.unreachable(service, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.unreachable(service, "interrupted");
        }
    }

    private URI uri(LakeService service, String path) {
        URI base = switch (service) {
            case PUBLISH -> config.publishUrl();
            case RETRY -> config.retryUrl();
            case INGEST -> config.ingestUrl();
        };
        String root = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1) : base.toString();
        return URI.create(root + path);
    }
}
