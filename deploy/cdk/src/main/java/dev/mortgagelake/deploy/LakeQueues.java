package dev.mortgagelake.deploy;

import dev.mortgagelake.topology.LakeTopology;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.NotificationKeyFilter;
import software.amazon.awscdk.services.s3.notifications.SqsDestination;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The queues of {@link LakeTopology} (each with its {@code -dlq} and a redrive policy of
 * {@code maxReceiveCount} receives) and the landing bucket's ObjectCreated notification. Queues are
 * encrypted with SQS-managed keys (S3 notifications can deliver to them without a key policy) and
 * refuse non-TLS requests.
 */
public final class LakeQueues extends Construct {

    /** Dead-letter queues keep messages for the SQS maximum, 14 days, for an operator to look at. */
    public static final Duration DEAD_LETTER_RETENTION = Duration.days(14);

    private final Map<String, Queue> queues = new LinkedHashMap<>();

    public LakeQueues(Construct scope, String id, LakeTopology topology, Bucket landingBucket) {
        super(scope, id);
        for (LakeTopology.QueueSpec spec : topology.queues()) {
            Queue deadLetters = Queue.Builder.create(this, spec.deadLetterQueue())
                    .queueName(spec.deadLetterQueue())
                    .encryption(QueueEncryption.SQS_MANAGED)
                    .enforceSsl(true)
                    .retentionPeriod(DEAD_LETTER_RETENTION)
                    .build();
            Queue queue = Queue.Builder.create(this, spec.name())
                    .queueName(spec.name())
                    .encryption(QueueEncryption.SQS_MANAGED)
                    .enforceSsl(true)
                    .visibilityTimeout(Duration.seconds(spec.visibilityTimeoutSeconds()))
                    .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetters).maxReceiveCount(spec.maxReceiveCount()).build())
                    .build();
            queues.put(spec.name(), queue);
        }
        LakeTopology.LandingNotification notification = topology.landingNotification();
        landingBucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(queue(notification.queue())),
                NotificationKeyFilter.builder().prefix(notification.prefix()).build());
    }

    public Queue queue(String name) {
        Queue queue = queues.get(name);
        if (queue == null) {
            throw new IllegalArgumentException("No queue " + name + " in the topology; queues: " + queues.keySet());
        }
        return queue;
    }
}
