package dev.mortgagelake.aws.topology;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortgagelake.topology.LakeTopology;
import dev.mortgagelake.topology.LakeTopology.LandingNotification;
import dev.mortgagelake.topology.LakeTopology.QueueSpec;
import org.jboss.logging.Logger;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.FilterRuleName;
import software.amazon.awssdk.services.s3.model.GetBucketNotificationConfigurationResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.NotificationConfigurationFilter;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3KeyFilter;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes an account (AWS, LocalStack, or the embedded servers) match a {@link LakeTopology}.
 * Applying is idempotent and converges: running it again, or after a partial failure, creates what
 * is missing and resets the attributes it owns on what exists; it never deletes anything.
 *
 * <ol>
 *   <li>Buckets: each distinct bucket is created if missing (with a location constraint outside
 *       {@code us-east-1}). A bucket name owned by another account is an error.</li>
 *   <li>Queues: for every {@link QueueSpec}, the dead-letter queue first (message retention 14 days,
 *       the SQS maximum, so dead letters outlive their source queue's retention), then its
 *       {@code QueueArn} is read, then the queue is created or updated with
 *       {@code RedrivePolicy {"deadLetterTargetArn": <dlq arn>, "maxReceiveCount": "<n>"}} and
 *       {@code VisibilityTimeout}.</li>
 *   <li>Landing notification: the landing bucket sends {@code s3:ObjectCreated:*} for keys under the
 *       prefix to the landing queue. The landing queue's {@code Policy} is set to let
 *       {@code s3.amazonaws.com} send from that bucket (AWS validates this), and the bucket's
 *       notification configuration keeps every other entry, replacing only the one with id
 *       {@value #NOTIFICATION_ID}. If the S3 endpoint does not implement bucket notifications
 *       (s3proxy answers 501 {@code NotImplemented}), the step is skipped, a WARN is logged once per
 *       JVM, and {@link AppliedTopology#notificationsSupported()} is {@code false}: the caller must
 *       then deliver landing events itself.</li>
 * </ol>
 * Failures of the AWS calls propagate as the SDK's exceptions. The caller owns the clients.
 */
public final class TopologyApplier {

    /** The id of the landing bucket's queue notification entry that this applier owns. */
    public static final String NOTIFICATION_ID = "mortgage-lake-landing-object-created";

    /** Retention of dead-letter queues: 14 days, the SQS maximum. */
    public static final int DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600;

    private static final Logger LOG = Logger.getLogger(TopologyApplier.class);
    private static final AtomicBoolean NOTIFICATIONS_UNSUPPORTED_LOGGED = new AtomicBoolean();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Client s3;
    private final SqsClient sqs;

    private final String madeBy;

    /** An applier for whole topologies; both clients are required. */
    public TopologyApplier(S3Client s3, SqsClient sqs) {
        this(requireClient(s3, "s3"), requireClient(sqs, "sqs"), "new TopologyApplier(s3, sqs)");
    }

    private TopologyApplier(S3Client s3, SqsClient sqs, String madeBy) {
        this.s3 = s3;
        this.sqs = sqs;
        this.madeBy = madeBy;
    }

    /** An applier that can only {@link #applyBuckets(LakeTopology) apply buckets}. */
    public static TopologyApplier forBuckets(S3Client s3) {
        return new TopologyApplier(requireClient(s3, "s3"), null, "TopologyApplier.forBuckets");
    }

    /** An applier that can only {@link #applyQueues(LakeTopology) apply queues}. */
    public static TopologyApplier forQueues(SqsClient sqs) {
        return new TopologyApplier(null, requireClient(sqs, "sqs"), "TopologyApplier.forQueues");
    }

    /** Applies buckets, queues and the landing notification, in that order. */
    public AppliedTopology apply(LakeTopology topology) {
        requireS3();
        requireSqs();
        List<String> buckets = applyBuckets(topology);
        Queues queues = ensureQueues(topology.queues());
        boolean notifications = applyLandingNotification(topology.landingNotification(), queues);
        return new AppliedTopology(buckets, queues.urls, queues.arns, notifications);
    }

    /**
     * Creates every bucket of the topology that does not exist yet.
     *
     * @return the topology's distinct buckets, all existing
     */
    public List<String> applyBuckets(LakeTopology topology) {
        requireS3();
        List<String> buckets = topology.buckets().distinct();
        buckets.forEach(this::ensureBucket);
        return buckets;
    }

    /**
     * Creates or updates every queue of the topology and its dead-letter queue, without the landing
     * notification (which needs S3).
     */
    public AppliedTopology applyQueues(LakeTopology topology) {
        requireSqs();
        Queues queues = ensureQueues(topology.queues());
        return new AppliedTopology(List.of(), queues.urls, queues.arns, false);
    }

    // ---------------------------------------------------------------------------------------------

    private static final class Queues {
        final Map<String, String> urls = new LinkedHashMap<>();
        final Map<String, String> arns = new LinkedHashMap<>();
    }

    private void ensureBucket(String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return;
        } catch (NoSuchBucketException e) {
            LOG.debugf("Bucket %s does not exist yet", bucket);
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
        CreateBucketRequest.Builder request = CreateBucketRequest.builder().bucket(bucket);
        Region region = s3.serviceClientConfiguration().region();
        if (region != null && !Region.US_EAST_1.equals(region)) {
            request.createBucketConfiguration(c -> c.locationConstraint(region.id()));
        }
        try {
            s3.createBucket(request.build());
            LOG.infof("Created bucket %s", bucket);
        } catch (BucketAlreadyOwnedByYouException e) {
            LOG.debugf("Bucket %s was created concurrently", bucket);
        } catch (BucketAlreadyExistsException e) {
            throw new IllegalStateException("Bucket name " + bucket + " is taken by another account", e);
        }
    }

    private Queues ensureQueues(List<QueueSpec> specs) {
        Queues queues = new Queues();
        for (QueueSpec spec : specs) {
            if (!queues.urls.containsKey(spec.deadLetterQueue())) {
                String dlqUrl = ensureQueue(spec.deadLetterQueue(),
                        Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(DEAD_LETTER_RETENTION_SECONDS)));
                queues.urls.put(spec.deadLetterQueue(), dlqUrl);
                queues.arns.put(spec.deadLetterQueue(), arnOf(dlqUrl));
            }
            ObjectNode redrive = JSON.createObjectNode()
                    .put("deadLetterTargetArn", queues.arns.get(spec.deadLetterQueue()))
                    .put("maxReceiveCount", Integer.toString(spec.maxReceiveCount()));
            String redrivePolicy = redrive.toString();
            String url = ensureQueue(spec.name(), Map.of(
                    QueueAttributeName.REDRIVE_POLICY, redrivePolicy,
                    QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(spec.visibilityTimeoutSeconds())));
            queues.urls.put(spec.name(), url);
            queues.arns.put(spec.name(), arnOf(url));
        }
        return queues;
    }

    /** The queue's URL after making its attributes {@code attributes} (creating it if missing). */
    private String ensureQueue(String name, Map<QueueAttributeName, String> attributes) {
        Optional<String> existing = queueUrl(name);
        if (existing.isPresent()) {
            sqs.setQueueAttributes(b -> b.queueUrl(existing.get()).attributes(attributes));
            return existing.get();
        }
        try {
            String url = sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
            LOG.infof("Created queue %s", name);
            return url;
        } catch (QueueNameExistsException e) {
            String url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
            sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(attributes));
            return url;
        }
    }

    private Optional<String> queueUrl(String name) {
        try {
            return Optional.of(sqs.getQueueUrl(b -> b.queueName(name)).queueUrl());
        } catch (QueueDoesNotExistException e) {
            return Optional.empty();
        }
    }

    private String arnOf(String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private boolean applyLandingNotification(LandingNotification notification, Queues queues) {
        String bucket = notification.bucket();
        GetBucketNotificationConfigurationResponse current;
        try {
            current = s3.getBucketNotificationConfiguration(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (isNotImplemented(e)) {
                warnNotificationsUnsupported(notification);
                return false;
            }
            throw e;
        }
        String queueUrl = queues.urls.containsKey(notification.queue())
                ? queues.urls.get(notification.queue())
                : queueUrl(notification.queue()).orElseThrow(() -> new IllegalStateException(
                        "The landing notification targets queue " + notification.queue() + ", which does not exist"));
        String queueArn = queues.arns.containsKey(notification.queue()) ? queues.arns.get(notification.queue()) : arnOf(queueUrl);
        String bucketArn = "arn:" + partitionOf(queueArn) + ":s3:::" + bucket;
        String policy = landingQueuePolicy(queueArn, bucketArn);
        sqs.setQueueAttributes(b -> b.queueUrl(queueUrl).attributes(Map.of(QueueAttributeName.POLICY, policy)));

        QueueConfiguration.Builder ours = QueueConfiguration.builder()
                .id(NOTIFICATION_ID)
                .queueArn(queueArn)
                .events(Event.S3_OBJECT_CREATED);
        if (!notification.prefix().isEmpty()) {
            ours.filter(NotificationConfigurationFilter.builder()
                    .key(S3KeyFilter.builder().filterRules(FilterRule.builder()
                            .name(FilterRuleName.PREFIX).value(notification.prefix()).build()).build())
                    .build());
        }
        List<QueueConfiguration> queueConfigurations = new ArrayList<>();
        current.queueConfigurations().stream().filter(q -> !NOTIFICATION_ID.equals(q.id())).forEach(queueConfigurations::add);
        queueConfigurations.add(ours.build());
        NotificationConfiguration wanted = NotificationConfiguration.builder()
                .queueConfigurations(queueConfigurations)
                .topicConfigurations(current.topicConfigurations())
                .lambdaFunctionConfigurations(current.lambdaFunctionConfigurations())
                .eventBridgeConfiguration(current.eventBridgeConfiguration())
                .build();
        try {
            s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(wanted));
        } catch (S3Exception e) {
            if (isNotImplemented(e)) {
                warnNotificationsUnsupported(notification);
                return false;
            }
            throw e;
        }
        LOG.infof("s3://%s/%s sends ObjectCreated events to %s", bucket, notification.prefix(), notification.queue());
        return true;
    }

    private static boolean isNotImplemented(S3Exception e) {
        return e.statusCode() == 501
                || e.awsErrorDetails() != null && "NotImplemented".equals(e.awsErrorDetails().errorCode());
    }

    private static void warnNotificationsUnsupported(LandingNotification notification) {
        String message = "The S3 endpoint does not implement bucket notifications: ObjectCreated events of s3://%s/%s"
                + " will not reach queue %s; whoever writes to landing must send them";
        if (NOTIFICATIONS_UNSUPPORTED_LOGGED.compareAndSet(false, true)) {
            LOG.warnf(message, notification.bucket(), notification.prefix(), notification.queue());
        } else {
            LOG.debugf(message, notification.bucket(), notification.prefix(), notification.queue());
        }
    }

    /** {@code arn:aws:sqs:...} → {@code aws} (or {@code aws-cn}, {@code aws-us-gov}). */
    private static String partitionOf(String arn) {
        String[] parts = arn.split(":", 3);
        return parts.length == 3 && parts[0].equals("arn") ? parts[1] : "aws";
    }

    /** Lets S3 send messages to the landing queue, from the landing bucket only. */
    private static String landingQueuePolicy(String queueArn, String bucketArn) {
        ObjectNode policy = JSON.createObjectNode().put("Version", "2012-10-17");
        ObjectNode statement = policy.putArray("Statement").addObject()
                .put("Sid", "AllowLandingBucketNotifications")
                .put("Effect", "Allow")
                .put("Action", "sqs:SendMessage")
                .put("Resource", queueArn);
        statement.putObject("Principal").put("Service", "s3.amazonaws.com");
        statement.putObject("Condition").putObject("ArnLike").put("aws:SourceArn", bucketArn);
        return policy.toString();
    }

    private void requireS3() {
        if (s3 == null) {
            throw new IllegalStateException("This applier has no S3 client (made by " + madeBy + ")");
        }
    }

    private void requireSqs() {
        if (sqs == null) {
            throw new IllegalStateException("This applier has no SQS client (made by " + madeBy + ")");
        }
    }

    private static <T> T requireClient(T client, String name) {
        if (client == null) {
            throw new NullPointerException(name + " client");
        }
        return client;
    }
}
