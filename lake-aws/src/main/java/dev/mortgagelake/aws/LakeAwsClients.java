package dev.mortgagelake.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;

/**
 * Builds the synchronous AWS SDK v2 clients the lake's tools use outside Quarkus (CLI, system
 * tests, test resources), all on the JDK's {@code url-connection-client}.
 *
 * <p>Each factory takes:
 * <ul>
 *   <li>{@code endpointOverride}: the base URI of an S3/SQS-compatible server, or {@code null} for
 *       the real AWS endpoints of the region. With an override, S3 is addressed path-style
 *       ({@code http://host:port/bucket/key}), which local servers need, and request bodies are
 *       sent plainly instead of {@code aws-chunked}: over plain HTTP the SDK signs payloads in
 *       {@code aws-chunked} encoding, and s3proxy 4.1.0 answers such a PUT before it has read the
 *       whole body, so the client sees "Error writing request body to server" for a write that
 *       succeeded and its retry of a create-once write then fails with 412. Without an override,
 *       the SDK's defaults (virtual-hosted style, chunked encoding) apply.</li>
 *   <li>{@code region}: e.g. {@code us-east-1}, or {@code null} for the SDK's default region chain
 *       ({@code AWS_REGION}, profile, instance metadata).</li>
 *   <li>{@code accessKeyId}/{@code secretAccessKey}: static credentials, or both {@code null} for
 *       the SDK's default credentials chain. Giving only one is an error.</li>
 * </ul>
 * The caller owns the returned client and closes it.
 */
public final class LakeAwsClients {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private LakeAwsClients() {
    }

    /** An S3 client; path-style and without chunked encoding when {@code endpointOverride} is set. */
    public static S3Client s3(URI endpointOverride, String region, String accessKeyId, String secretAccessKey) {
        boolean local = endpointOverride != null;
        return configure(S3Client.builder(), endpointOverride, region, accessKeyId, secretAccessKey)
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(local)
                        .chunkedEncodingEnabled(!local)
                        .build())
                .httpClientBuilder(httpClient())
                .build();
    }

    /** An SQS client. */
    public static SqsClient sqs(URI endpointOverride, String region, String accessKeyId, String secretAccessKey) {
        return configure(SqsClient.builder(), endpointOverride, region, accessKeyId, secretAccessKey)
                .httpClientBuilder(httpClient())
                .build();
    }

    /** Static credentials, or the SDK's default chain when both parts are {@code null}. */
    public static AwsCredentialsProvider credentials(String accessKeyId, String secretAccessKey) {
        if (accessKeyId == null && secretAccessKey == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        if (accessKeyId == null || secretAccessKey == null || accessKeyId.isBlank() || secretAccessKey.isBlank()) {
            throw new IllegalArgumentException("Give both the access key id and the secret access key, or neither");
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
    }

    private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, URI endpointOverride, String region,
                                                                  String accessKeyId, String secretAccessKey) {
        builder.credentialsProvider(credentials(accessKeyId, secretAccessKey));
        if (region != null) {
            builder.region(Region.of(region));
        }
        if (endpointOverride != null) {
            builder.endpointOverride(endpointOverride);
        }
        return builder;
    }

    private static UrlConnectionHttpClient.Builder httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT);
    }
}
