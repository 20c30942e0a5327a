package dev.mortgagelake.testing;

import dev.mortgagelake.aws.S3ObjectStore;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectAlreadyExistsException;
import dev.mortgagelake.storage.ObjectStore;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Quarkus-managed clients, configured only by the two resources, work against the shared
 * embedded servers: what every service's {@code @QuarkusTest} relies on.
 */
@QuarkusTest
@WithTestResource(EmbeddedS3Resource.class)
@WithTestResource(EmbeddedSqsResource.class)
class QuarkusClientsAgainstTestLakeTest {

    @Inject
    S3Client s3;

    @Inject
    SqsClient sqs;

    @Inject
    SqsAsyncClient sqsAsync;

    @ConfigProperty(name = "lake.buckets.bronze")
    String bronze;

    @Test
    void createOnceThroughTheQuarkusS3ClientHasExactlyOneWinnerOfSixteen() throws Exception {
        ObjectStore store = new S3ObjectStore(s3);
        Location location = new Location(bronze, "quarkus-test/" + UUID.randomUUID() + "/claim.json");
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String body = "writer-" + i;
                outcomes.add(pool.submit(() -> {
                    go.await();
                    try {
                        store.create(location, body.getBytes(StandardCharsets.UTF_8), "application/json");
                        return body;
                    } catch (ObjectAlreadyExistsException lost) {
                        return null;
                    }
                }));
            }
            go.countDown();
            List<String> winners = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                String winner = outcome.get(60, TimeUnit.SECONDS);
                if (winner != null) {
                    winners.add(winner);
                }
            }
            assertThat(winners).hasSize(1);
            assertThat(new String(store.read(location), StandardCharsets.UTF_8)).isEqualTo(winners.get(0));
            assertThatThrownBy(() -> store.create(location, new byte[] {1}, "application/json"))
                    .isInstanceOf(ObjectAlreadyExistsException.class);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theQuarkusSqsClientsReachTheTestLakeQueues() throws Exception {
        String queueUrl = sqs.getQueueUrl(b -> b.queueName(TestLake.QUEUES.retryDue())).queueUrl();
        String body = "ping-" + UUID.randomUUID();

        sqsAsync.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body)).get(30, TimeUnit.SECONDS);

        List<Message> received = new ArrayList<>();
        for (int attempt = 0; attempt < 5 && received.stream().noneMatch(m -> m.body().equals(body)); attempt++) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(2)).messages();
            batch.forEach(m -> sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
            received.addAll(batch);
        }
        assertThat(received).extracting(Message::body).contains(body);
        assertThat(queueUrl).startsWith(TestLake.sqsEndpoint().toString());
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains(TestLake.BUCKETS.distinct().toArray(String[]::new));
    }
}
