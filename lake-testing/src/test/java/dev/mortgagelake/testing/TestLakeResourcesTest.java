package dev.mortgagelake.testing;

import dev.mortgagelake.embedded.LocalAwsCredentials;
import dev.mortgagelake.topology.LakeTopology;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** The test resources as plain objects: configuration, provisioning, and servers that outlive {@code stop()}. */
class TestLakeResourcesTest {

    @Test
    void s3ResourcePublishesTheQuarkusConfigurationAndTheBuckets() {
        EmbeddedS3Resource resource = new EmbeddedS3Resource();

        Map<String, String> config = resource.start();
        resource.stop();
        Map<String, String> again = new EmbeddedS3Resource().start();

        String endpoint = System.getProperty(TestLake.S3_ENDPOINT_PROPERTY);
        assertThat(endpoint).startsWith("http://127.0.0.1:");
        assertThat(again).isEqualTo(config);
        assertThat(config).containsExactly(
                entry("quarkus.s3.endpoint-override", endpoint),
                entry("quarkus.s3.path-style-access", "true"),
                entry("quarkus.s3.chunked-encoding", "false"),
                entry("quarkus.s3.aws.region", "us-east-1"),
                entry("quarkus.s3.aws.credentials.type", "static"),
                entry("quarkus.s3.aws.credentials.static-provider.access-key-id", LocalAwsCredentials.ACCESS_KEY_ID),
                entry("quarkus.s3.aws.credentials.static-provider.secret-access-key", LocalAwsCredentials.SECRET_ACCESS_KEY),
                entry("quarkus.s3.sync-client.type", "url"),
                entry("quarkus.s3.devservices.enabled", "false"),
                entry("quarkus.devservices.enabled", "false"),
                entry("lake.buckets.landing", "test-landing"),
                entry("lake.buckets.bronze", "test-bronze"),
                entry("lake.buckets.silver", "test-silver"),
                entry("lake.buckets.gold", "test-gold"),
                entry("lake.buckets.quarantine", "test-quarantine"));
        assertThat(TestLake.s3().listBuckets().buckets()).extracting(b -> b.name())
                .contains("test-landing", "test-bronze", "test-silver", "test-gold", "test-quarantine");
    }

    @Test
    void sqsResourcePublishesTheQuarkusConfigurationAndTheQueues() throws Exception {
        EmbeddedSqsResource resource = new EmbeddedSqsResource();

        Map<String, String> config = resource.start();
        resource.stop();
        Map<String, String> again = new EmbeddedSqsResource().start();

        String endpoint = System.getProperty(TestLake.SQS_ENDPOINT_PROPERTY);
        assertThat(endpoint).startsWith("http://127.0.0.1:");
        assertThat(again).isEqualTo(config);
        assertThat(config).containsExactly(
                entry("quarkus.sqs.endpoint-override", endpoint),
                entry("quarkus.sqs.aws.region", "us-east-1"),
                entry("quarkus.sqs.aws.credentials.type", "static"),
                entry("quarkus.sqs.aws.credentials.static-provider.access-key-id", LocalAwsCredentials.ACCESS_KEY_ID),
                entry("quarkus.sqs.aws.credentials.static-provider.secret-access-key", LocalAwsCredentials.SECRET_ACCESS_KEY),
                entry("quarkus.sqs.sync-client.type", "url"),
                entry("quarkus.sqs.async-client.type", "netty"),
                entry("quarkus.sqs.devservices.enabled", "false"),
                entry("quarkus.devservices.enabled", "false"));
        for (String queue : TestLake.QUEUES.all()) {
            Map<QueueAttributeName, String> attributes = TestLake.sqs()
                    .getQueueAttributes(b -> b.queueUrl(TestLake.queueUrl(queue)).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                    .attributes();
            assertThat(attributes.get(QueueAttributeName.REDRIVE_POLICY))
                    .contains(queue + LakeTopology.DEAD_LETTER_SUFFIX)
                    .contains(String.valueOf(LakeTopology.DEFAULT_MAX_RECEIVE_COUNT));
        }
    }
}
