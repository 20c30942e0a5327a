package dev.mortgagelake.testing;

import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads a test queue the way a consumer would: receives until a message matching a predicate
 * arrives, deletes that one, and makes every other message visible again at once so it stays for
 * whoever expects it.
 */
public final class QueueProbe {

    private QueueProbe() {
    }

    /** The body of the first message on {@code queueName} matching {@code wanted} within {@code timeout}. */
    public static Optional<String> take(String queueName, Predicate<String> wanted, Duration timeout) {
        String queueUrl = TestLake.queueUrl(queueName);
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (Message message : TestLake.sqs().receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(1).maxNumberOfMessages(10))
                    .messages()) {
                if (wanted.test(message.body())) {
                    TestLake.sqs().deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                    return Optional.of(message.body());
                }
                TestLake.sqs().changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()).visibilityTimeout(0));
            }
        }
        return Optional.empty();
    }

    /** Like {@link #take} but fails with a message naming the queue when nothing matching arrives. */
    public static String await(String queueName, Predicate<String> wanted, Duration timeout) {
        return take(queueName, wanted, timeout)
                .orElseThrow(() -> new AssertionError("No matching message on " + queueName + " within " + timeout));
    }

    /** Sends {@code body} to {@code queueName}. */
    public static void send(String queueName, String body) {
        TestLake.sqs().sendMessage(r -> r.queueUrl(TestLake.queueUrl(queueName)).messageBody(body));
    }
}
