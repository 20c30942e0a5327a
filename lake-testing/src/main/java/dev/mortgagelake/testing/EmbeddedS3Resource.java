package dev.mortgagelake.testing;

import dev.mortgagelake.embedded.LocalAwsCredentials;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} application's S3 client at the JVM-wide embedded S3 server of
 * {@link TestLake}, with the test lake's buckets created.
 *
 * <p>{@link #start()} starts the server only if no test class started it before (the first start
 * in the JVM creates the buckets), and returns the Quarkus configuration: endpoint override, path-style access,
 * plain (not {@code aws-chunked}) request bodies, region and static credentials, the URL
 * connection sync client, no Dev Services, and the bucket of each layer as
 * {@code lake.buckets.<layer>}. {@link #stop()} leaves the server running for the other test
 * classes; it stops when the JVM exits.
 *
 * <pre>{@code @WithTestResource(EmbeddedS3Resource.class)}</pre>
 */
public final class EmbeddedS3Resource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return config(TestLake.s3Endpoint().toString());
    }

    /** The configuration {@link #start()} returns for a server at {@code endpoint}. */
    static Map<String, String> config(String endpoint) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.s3.endpoint-override", endpoint);
        config.put("quarkus.s3.path-style-access", "true");
        // s3proxy answers aws-chunked PUTs before reading them over plain HTTP (see EmbeddedS3Server).
        config.put("quarkus.s3.chunked-encoding", "false");
        config.put("quarkus.s3.aws.region", LocalAwsCredentials.REGION);
        config.put("quarkus.s3.aws.credentials.type", "static");
        config.put("quarkus.s3.aws.credentials.static-provider.access-key-id", LocalAwsCredentials.ACCESS_KEY_ID);
        config.put("quarkus.s3.aws.credentials.static-provider.secret-access-key", LocalAwsCredentials.SECRET_ACCESS_KEY);
        config.put("quarkus.s3.sync-client.type", "url");
        config.put("quarkus.s3.devservices.enabled", "false");
        config.put("quarkus.devservices.enabled", "false");
        config.put("lake.buckets.landing", TestLake.LANDING_BUCKET);
        config.put("lake.buckets.bronze", TestLake.BRONZE_BUCKET);
        config.put("lake.buckets.silver", TestLake.SILVER_BUCKET);
        config.put("lake.buckets.gold", TestLake.GOLD_BUCKET);
        config.put("lake.buckets.quarantine", TestLake.QUARANTINE_BUCKET);
        return config;
    }

    /** Nothing to do: the shared server outlives each test class and stops with the JVM. */
    @Override
    public void stop() {
        // Intentionally empty: other test classes in this JVM keep using the server.
    }
}
