package dev.mortgagelake.topology;

import dev.mortgagelake.layout.LakeBuckets;

import java.util.List;
import java.util.Objects;

/**
 * Everything the lake needs to exist in an account, declared once: buckets, one queue per consumer
 * with its dead-letter queue and redrive policy, and the landing bucket's ObjectCreated notification.
 * Adapters apply it to whatever endpoint is configured (embedded servers, LocalStack, AWS); the CDK
 * stack declares the same for production.
 */
public record LakeTopology(LakeBuckets buckets, List<QueueSpec> queues, LandingNotification landingNotification) {

    public LakeTopology {
        Objects.requireNonNull(buckets, "buckets");
        queues = List.copyOf(queues);
        Objects.requireNonNull(landingNotification, "landingNotification");
    }

    /**
     * A consumer's queue and its dead-letter queue: after {@code maxReceiveCount} receives without a
     * delete, SQS moves the message to {@code deadLetterQueue}.
     */
    public record QueueSpec(String name, String deadLetterQueue, int maxReceiveCount, int visibilityTimeoutSeconds) {

        public QueueSpec {
            if (maxReceiveCount < 1) {
                throw new IllegalArgumentException("maxReceiveCount must be >= 1 for " + name);
            }
        }
    }

    /** S3 sends {@code s3:ObjectCreated:*} events for keys under {@code prefix} of the landing bucket to {@code queue}. */
    public record LandingNotification(String bucket, String prefix, String queue) {
    }

    /** The queue names of the standard flow, from configuration. */
    public record QueueNames(String landing, String fileLanded, String runValidatedForPublish,
                             String runValidatedForRetry, String retryDue, String runPromoted) {

        /** The names used when nothing is configured (local stack, tests). */
        public static QueueNames defaults() {
            return new QueueNames("lake-landing", "lake-file-landed", "lake-run-validated-publish",
                    "lake-run-validated-retry", "lake-retry-due", "lake-run-promoted");
        }

        public List<String> all() {
            return List.of(landing, fileLanded, runValidatedForPublish, runValidatedForRetry, retryDue, runPromoted);
        }
    }

    public static final String DEAD_LETTER_SUFFIX = "-dlq";
    public static final int DEFAULT_MAX_RECEIVE_COUNT = 5;
    public static final int DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 120;

    /** The standard topology: each queue with {@code <name>-dlq} behind it. */
    public static LakeTopology standard(LakeBuckets buckets, QueueNames names, String landingPrefix) {
        List<QueueSpec> queues = names.all().stream()
                .map(q -> new QueueSpec(q, q + DEAD_LETTER_SUFFIX, DEFAULT_MAX_RECEIVE_COUNT, DEFAULT_VISIBILITY_TIMEOUT_SECONDS))
                .toList();
        return new LakeTopology(buckets, queues, new LandingNotification(buckets.landing(), landingPrefix, names.landing()));
    }
}
