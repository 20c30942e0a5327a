package dev.mortgagelake.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static io.restassured.RestAssured.given;

/**
 * Checks every service's operator API the same way: the operations its OpenAPI document declares,
 * the demo users of the local identity store (password {@code <user>-demo}), and that no operation
 * is reachable anonymously or with a wrong password.
 */
public final class OperatorApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OperatorApi() {
    }

    /** A JSON request as the demo {@code user}. */
    public static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user + "-demo").contentType(ContentType.JSON);
    }

    /** Every operation of the service's OpenAPI document, as {@code "METHOD /path"}. */
    public static List<String> operations() {
        JsonNode document;
        try {
            document = JSON.readTree(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        } catch (IOException e) {
            throw new UncheckedIOException("The OpenAPI document is not JSON", e);
        }
        List<String> calls = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                calls.add(methods.next().toUpperCase() + " " + path.getKey());
            }
        }
        return calls;
    }

    /**
     * Asserts that each of {@code calls} answers 401 without credentials and with a wrong password for
     * {@code user}; {@code concretePath} fills the path templates, {@code body} is sent with each call.
     */
    public static void assertEveryOperationNeedsCredentials(List<String> calls, UnaryOperator<String> concretePath, String body,
                                                            String user) {
        for (String call : calls) {
            String method = call.substring(0, call.indexOf(' '));
            String path = concretePath.apply(call.substring(call.indexOf(' ') + 1));
            expect401(call, given().contentType(ContentType.JSON).body(body).request(method, path).statusCode());
            expect401(call + " with a wrong password", given().auth().preemptive().basic(user, "wrong").contentType(ContentType.JSON)
                    .body(body).request(method, path).statusCode());
        }
    }

    private static void expect401(String what, int status) {
        if (status != 401) {
            throw new AssertionError(what + " answered " + status + ", expected 401 (authentication required)");
        }
    }
}
