package dev.mortgagelake.testing;

import dev.mortgagelake.embedded.LocalAwsCredentials;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} application's SQS clients at the JVM-wide embedded SQS server of
 * {@link TestLake}, with the test lake's queues and dead-letter queues in place.
 *
 * <p>{@link #start()} starts the server only if no test class started it before (the first start
 * in the JVM creates every queue of {@link TestLake#topology()} with its dead-letter queue), and
 * returns the Quarkus
 * configuration: endpoint override, region and static credentials, the URL connection sync client
 * and the Netty async client (the SQS messaging connector uses the async one), and no Dev
 * Services. {@link #stop()} leaves the server running for the other test classes; it stops when
 * the JVM exits.
 *
 * <pre>{@code @WithTestResource(EmbeddedSqsResource.class)}</pre>
 */
public final class EmbeddedSqsResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return config(TestLake.sqsEndpoint().toString());
    }

    /** The configuration {@link #start()} returns for a server at {@code endpoint}. */
    static Map<String, String> config(String endpoint) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.sqs.endpoint-override", endpoint);
        config.put("quarkus.sqs.aws.region", LocalAwsCredentials.REGION);
        config.put("quarkus.sqs.aws.credentials.type", "static");
        config.put("quarkus.sqs.aws.credentials.static-provider.access-key-id", LocalAwsCredentials.ACCESS_KEY_ID);
        config.put("quarkus.sqs.aws.credentials.static-provider.secret-access-key", LocalAwsCredentials.SECRET_ACCESS_KEY);
        config.put("quarkus.sqs.sync-client.type", "url");
        config.put("quarkus.sqs.async-client.type", "netty");
        config.put("quarkus.sqs.devservices.enabled", "false");
        config.put("quarkus.devservices.enabled", "false");
        return config;
    }

    /** Nothing to do: the shared server outlives each test class and stops with the JVM. */
    @Override
    public void stop() {
        // Intentionally empty: other test classes in this JVM keep using the server.
    }
}
