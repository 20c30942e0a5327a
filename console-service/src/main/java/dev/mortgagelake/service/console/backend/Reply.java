package dev.mortgagelake.service.console.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.mortgagelake.service.console.session.Notice;

/**
 * A service's answer: its status and JSON body (a missing node when it sent none, e.g. a bare 403 of the
 * role check).
 */
public record Reply(LakeService service, int status, JsonNode body) {

    public static Reply unreachable(LakeService service, String message) {
        return new Reply(service, 503, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("error", "UNREACHABLE").put("message", service.serviceName() + " did not answer: " + message));
    }

    public Reply {
        body = body == null ? MissingNode.getInstance() : body;
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The service's error code ({@code FOUR_EYES}, {@code CONFLICT}, ...), or empty. */
    public String error() {
        return body.path("error").asText("");
    }

    public boolean fourEyes() {
        return status == 403 && "FOUR_EYES".equals(error());
    }

    /** The service's message, or a sentence for a bare status. */
    public String message() {
        String message = body.path("message").asText("");
        if (!message.isBlank()) {
            return message;
        }
        return switch (status) {
            case 401 -> service.serviceName() + " did not accept your credentials (401): sign in again.";
            case 403 -> service.serviceName() + " refused (403): your role may not do this.";
            case 404 -> service.serviceName() + " found nothing there (404).";
            default -> service.serviceName() + " answered " + status + ".";
        };
    }

    /** How a page reports this answer to a failed action. */
    public Notice refusal(String action) {
        if (fourEyes()) {
            return Notice.refused("Refused by the four-eyes rule", message());
        }
        if (status == 401 || status == 403) {
            return Notice.refused(action + ": refused by " + service.serviceName(), message());
        }
        return Notice.error(action + " failed (" + status + ")", message());
    }
}
