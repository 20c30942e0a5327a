package dev.mortgagelake.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortgagelake.aws.LakeAwsClients;
import dev.mortgagelake.embedded.EmbeddedS3Server;
import dev.mortgagelake.embedded.EmbeddedSqsServer;
import dev.mortgagelake.embedded.LocalAwsCredentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./lake topology} in-process against the embedded servers, twice: the second run converges on
 * the same state and leaves the (edited) reference data alone.
 */
class ApplyTopologyTest {

    private static final List<String> QUEUES = List.of("lake-landing", "lake-file-landed", "lake-run-validated-publish",
            "lake-run-validated-retry", "lake-retry-due", "lake-run-promoted");
    private static final String CURRENCY_LIST_KEY = "reference/currencies/iso4217_allow_list.json";

    private static EmbeddedSqsServer sqsServer;
    private static EmbeddedS3Server s3Server;
    private static S3Client s3;
    private static SqsClient sqs;

    @BeforeAll
    static void startServers() {
        sqsServer = new EmbeddedSqsServer().start();
        s3Server = EmbeddedS3Server.inMemory().start();
        s3 = LakeAwsClients.s3(s3Server.endpoint(), LocalAwsCredentials.REGION, LocalAwsCredentials.ACCESS_KEY_ID,
                LocalAwsCredentials.SECRET_ACCESS_KEY);
        sqs = LakeAwsClients.sqs(sqsServer.endpoint(), LocalAwsCredentials.REGION, LocalAwsCredentials.ACCESS_KEY_ID,
                LocalAwsCredentials.SECRET_ACCESS_KEY);
    }

    @AfterAll
    static void stopServers() {
        if (s3 != null) {
            s3.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        if (s3Server != null) {
            s3Server.close();
        }
        if (sqsServer != null) {
            sqsServer.close();
        }
    }

    private record Run(int exitCode, String out, String err) {
        JsonNode summary() throws Exception {
            return LakeCommand.JSON.readTree(out);
        }
    }

    private static Run topology() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new LakeCommand());
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        int exit = command.execute("topology",
                "--s3-endpoint", s3Server.endpoint().toString(),
                "--sqs-endpoint", sqsServer.endpoint().toString(),
                "--region", LocalAwsCredentials.REGION,
                "--access-key", LocalAwsCredentials.ACCESS_KEY_ID,
                "--secret-key", LocalAwsCredentials.SECRET_ACCESS_KEY);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void appliesTheStandardTopologyAndSeedsReferenceDataIdempotently() throws Exception {
        Run first = topology();
        assertThat(first.exitCode()).as(first.err()).isZero();
        JsonNode summary = first.summary();
        assertThat(summary.get("buckets")).extracting(JsonNode::asText)
                .containsExactly("lake-landing", "lake-bronze", "lake-silver", "lake-gold", "lake-quarantine");
        assertThat(summary.get("currencyAllowList").get("seeded").asBoolean()).isTrue();
        assertThat(summary.get("currencyAllowList").get("location").asText()).isEqualTo("s3://lake-silver/" + CURRENCY_LIST_KEY);
        // s3proxy has no bucket notifications: the summary says so rather than pretending
        assertThat(summary.get("notifications").asBoolean()).isFalse();
        assertTopologyInPlace();
        String seededList = s3.getObjectAsBytes(b -> b.bucket("lake-silver").key(CURRENCY_LIST_KEY)).asUtf8String();
        assertThat(seededList).contains("\"EUR\"").contains("\"USD\"");
        assertThat(summary.get("transactionTypes").get("seeded").asBoolean()).isTrue();
        assertThat(summary.get("transactionTypes").get("location").asText())
                .isEqualTo("s3://lake-silver/reference/transaction-types/transaction_types.json");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("lake-silver").key("reference/transaction-types/transaction_types.json"))
                .asUtf8String()).contains("\"PAYMENT\"", "\"DISBURSEMENT\"", "\"INTEREST\"", "\"FEE\"", "\"ADJUSTMENT\"");

        // the quality team edits the list; a second run must not overwrite it
        String edited = "{\"description\":\"edited\",\"codes\":[\"EUR\"]}";
        s3.putObject(b -> b.bucket("lake-silver").key(CURRENCY_LIST_KEY).contentType("application/json"),
                RequestBody.fromString(edited, StandardCharsets.UTF_8));

        Run second = topology();
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.summary().get("currencyAllowList").get("seeded").asBoolean()).isFalse();
        assertThat(second.summary().get("transactionTypes").get("seeded").asBoolean()).isFalse();
        assertThat(second.summary().get("queues")).isEqualTo(summary.get("queues"));
        assertTopologyInPlace();
        assertThat(s3.getObjectAsBytes(b -> b.bucket("lake-silver").key(CURRENCY_LIST_KEY)).asUtf8String()).isEqualTo(edited);
    }

    private static void assertTopologyInPlace() throws Exception {
        assertThat(s3.listBuckets().buckets()).extracting(Bucket::name)
                .contains("lake-landing", "lake-bronze", "lake-silver", "lake-gold", "lake-quarantine");
        for (String queue : QUEUES) {
            String dlqUrl = sqs.getQueueUrl(b -> b.queueName(queue + "-dlq")).queueUrl();
            // ElasticMQ does not report MessageRetentionPeriod, so the DLQ's retention is not asserted here
            Map<QueueAttributeName, String> dlq = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl)
                    .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes();
            assertThat(dlq.get(QueueAttributeName.QUEUE_ARN)).as(queue + "-dlq").endsWith(":" + queue + "-dlq");

            String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url)
                    .attributeNames(QueueAttributeName.REDRIVE_POLICY, QueueAttributeName.VISIBILITY_TIMEOUT)).attributes();
            JsonNode redrive = LakeCommand.JSON.readTree(attributes.get(QueueAttributeName.REDRIVE_POLICY));
            assertThat(redrive.get("deadLetterTargetArn").asText()).as(queue).isEqualTo(dlq.get(QueueAttributeName.QUEUE_ARN));
            assertThat(redrive.get("maxReceiveCount").asInt()).as(queue).isEqualTo(5);
            assertThat(attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT)).as(queue).isEqualTo("120");
        }
    }
}
