package dev.mortgagelake.embedded;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Redrive to a dead-letter queue, checked against the in-process ElasticMQ server. */
class EmbeddedSqsServerTest {

    private static EmbeddedSqsServer server;
    private static SqsClient sqs;

    @BeforeAll
    static void startServer() {
        server = new EmbeddedSqsServer().start();
        sqs = SqsClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.of(LocalAwsCredentials.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalAwsCredentials.ACCESS_KEY_ID, LocalAwsCredentials.SECRET_ACCESS_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    @AfterAll
    static void stopServer() {
        if (sqs != null) {
            sqs.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aMessageReceivedTwiceWithoutDeleteMovesToTheDeadLetterQueue() {
        String dlqUrl = sqs.createQueue(b -> b.queueName("orders-dlq")).queueUrl();
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String queueUrl = sqs.createQueue(b -> b.queueName("orders").attributes(Map.of(
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"2\"}",
                QueueAttributeName.VISIBILITY_TIMEOUT, "1"))).queueUrl();

        assertThat(queueUrl).startsWith(server.endpoint().toString());
        assertThat(dlqArn).isEqualTo("arn:aws:sqs:" + LocalAwsCredentials.REGION + ":" + LocalAwsCredentials.ACCOUNT_ID + ":orders-dlq");

        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("poison"));
        assertThat(receive(queueUrl, 5)).hasSize(1);
        assertThat(receive(queueUrl, 5)).hasSize(1);
        assertThat(receive(queueUrl, 2)).as("after the second receive the message belongs to the DLQ").isEmpty();

        List<Message> dead = receive(dlqUrl, 5);
        assertThat(dead).extracting(Message::body).containsExactly("poison");
    }

    @Test
    void stopIsIdempotentAndAStoppedServerCannotRestart() {
        EmbeddedSqsServer other = new EmbeddedSqsServer().start();
        assertThat(other.endpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(other.endpoint().getPort()).isNotEqualTo(server.endpoint().getPort());

        other.stop();
        other.close();

        assertThat(other.isRunning()).isFalse();
        assertThatThrownBy(other::endpoint).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(other::start).isInstanceOf(IllegalStateException.class);
    }

    private static List<Message> receive(String queueUrl, int waitSeconds) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(1).waitTimeSeconds(waitSeconds)).messages();
    }
}
