package dev.mortgagelake.deploy;

import dev.mortgagelake.topology.LakeTopology;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.CreateAlarmOptions;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
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
 *
 * <p>The age of the oldest message is a CloudWatch metric of SQS ({@code ApproximateAgeOfOldestMessage});
 * the SQS API the services poll for depth cannot read it without receiving (and so redelivering) a
 * message. It is therefore alarmed here, per queue and per dead-letter queue, next to an alarm on any
 * message in a dead-letter queue; the services' Prometheus metrics carry the depths.
 */
public final class LakeQueues extends Construct {

    /** Dead-letter queues keep messages for the SQS maximum, 14 days, for an operator to look at. */
    public static final Duration DEAD_LETTER_RETENTION = Duration.days(14);

    /** A message older than this in a working queue means its consumer is stuck or too slow. */
    public static final Duration OLDEST_MESSAGE_ALARM = Duration.minutes(15);

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
            alarmOnOldestMessage(queue, spec.name(), OLDEST_MESSAGE_ALARM.toSeconds().longValue());
            alarmOnOldestMessage(deadLetters, spec.deadLetterQueue(), 0);
            deadLetters.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                            .period(Duration.minutes(5)).statistic("Maximum").build())
                    .createAlarm(this, spec.deadLetterQueue() + "-not-empty", CreateAlarmOptions.builder()
                            .alarmName(spec.deadLetterQueue() + "-not-empty")
                            .alarmDescription("Messages in " + spec.deadLetterQueue() + ": a consumer of " + spec.name()
                                    + " failed them " + spec.maxReceiveCount() + " times (runbook: docs/OPERATIONS.md)")
                            .threshold(0).evaluationPeriods(1)
                            .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                            .treatMissingData(TreatMissingData.NOT_BREACHING)
                            .build());
        }
        LakeTopology.LandingNotification notification = topology.landingNotification();
        landingBucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(queue(notification.queue())),
                NotificationKeyFilter.builder().prefix(notification.prefix()).build());
    }

    private void alarmOnOldestMessage(Queue queue, String name, long thresholdSeconds) {
        queue.metricApproximateAgeOfOldestMessage(MetricOptions.builder().period(Duration.minutes(5)).statistic("Maximum").build())
                .createAlarm(this, name + "-oldest-message-age", CreateAlarmOptions.builder()
                        .alarmName(name + "-oldest-message-age")
                        .alarmDescription("The oldest message in " + name + " is older than " + thresholdSeconds
                                + " s (runbook: docs/OPERATIONS.md)")
                        .threshold(thresholdSeconds).evaluationPeriods(1)
                        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                        .treatMissingData(TreatMissingData.NOT_BREACHING)
                        .build());
    }

    public Queue queue(String name) {
        Queue queue = queues.get(name);
        if (queue == null) {
            throw new IllegalArgumentException("No queue " + name + " in the topology; queues: " + queues.keySet());
        }
        return queue;
    }
}
