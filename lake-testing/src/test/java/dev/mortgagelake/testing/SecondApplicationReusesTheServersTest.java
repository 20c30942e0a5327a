package dev.mortgagelake.testing;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second Quarkus application in the same JVM (a test profile forces a restart, so the first
 * application and its class loader are gone) still finds the servers the first one started.
 */
@QuarkusTest
@TestProfile(SecondApplicationReusesTheServersTest.OtherApplication.class)
@WithTestResource(EmbeddedS3Resource.class)
@WithTestResource(EmbeddedSqsResource.class)
class SecondApplicationReusesTheServersTest {

    /** Any difference in configuration makes Quarkus build and start another application. */
    public static final class OtherApplication implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("test-lake.application", "second");
        }
    }

    @Inject
    S3Client s3;

    @Inject
    SqsClient sqs;

    @ConfigProperty(name = "quarkus.s3.endpoint-override")
    String s3Endpoint;

    @ConfigProperty(name = "quarkus.sqs.endpoint-override")
    String sqsEndpoint;

    @Test
    void theServersOfTheJvmAreStillServing() {
        assertThat(s3Endpoint).isEqualTo(System.getProperty(TestLake.S3_ENDPOINT_PROPERTY));
        assertThat(sqsEndpoint).isEqualTo(System.getProperty(TestLake.SQS_ENDPOINT_PROPERTY));

        String key = "second-app/" + UUID.randomUUID();
        s3.putObject(b -> b.bucket(TestLake.SILVER_BUCKET).key(key), RequestBody.fromString("still here"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(TestLake.SILVER_BUCKET).key(key)).asUtf8String()).isEqualTo("still here");

        String queueUrl = sqs.getQueueUrl(b -> b.queueName(TestLake.QUEUES.runPromoted())).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(key));
        assertThat(sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(5).maxNumberOfMessages(10)).messages())
                .anySatisfy(m -> assertThat(m.body()).isEqualTo(key));
    }
}
