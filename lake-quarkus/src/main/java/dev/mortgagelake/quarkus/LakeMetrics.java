package dev.mortgagelake.quarkus;

/**
 * Names and tags of the metrics every service exports, in Micrometer's dotted form (Prometheus shows
 * {@code lake.queue.messages} as {@code lake_queue_messages}). Each service keeps its own metrics in
 * its {@code *Metrics} class; docs/OPERATIONS.md holds the catalogue of all of them.
 */
public final class LakeMetrics {

    /** Gauge: approximate messages in a queue, by {@link #TAG_QUEUE}, {@link #TAG_ROLE} and {@link #TAG_STATE}. */
    public static final String QUEUE_MESSAGES = "lake.queue.messages";
    /** Counter: GetQueueAttributes calls that failed, by {@link #TAG_QUEUE}. */
    public static final String QUEUE_POLL_FAILURES = "lake.queue.poll.failures";

    /**
     * Counter: receives of poison messages (retrying cannot help), by {@link #TAG_SERVICE}, {@link #TAG_CHANNEL}
     * and {@link #TAG_REASON} ({@code not_json}, {@code unknown_type}, {@code newer_version},
     * {@code invalid_event}, {@code missing_object}). A message counts once per receive until it reaches its DLQ.
     */
    public static final String POISON_MESSAGES = "lake.poison.messages";
    /** Counter: messages whose handling failed for another reason (redelivered after the visibility timeout). */
    public static final String MESSAGE_FAILURES = "lake.message.failures";
    /** Counter: times a message's work failed because S3 or SQS was unreachable and the message was held until they answered. */
    public static final String OUTAGE_HOLDS = "lake.message.outage.holds";
    /** Counter: ChangeMessageVisibility calls that pushed a message's visibility further while its work ran, by channel. */
    public static final String VISIBILITY_EXTENSIONS = "lake.message.visibility.extensions";
    /** Counter: visibility extensions that failed, by channel. */
    public static final String VISIBILITY_EXTENSION_FAILURES = "lake.message.visibility.extension.failures";

    public static final String TAG_SERVICE = "service";
    public static final String TAG_CHANNEL = "channel";
    public static final String TAG_REASON = "reason";
    public static final String TAG_QUEUE = "queue";
    /** {@link #ROLE_QUEUE} or {@link #ROLE_DEAD_LETTER}. */
    public static final String TAG_ROLE = "role";
    public static final String ROLE_QUEUE = "queue";
    public static final String ROLE_DEAD_LETTER = "dead_letter";
    /** {@code visible} (waiting), {@code in_flight} (received, not yet deleted) or {@code delayed}. */
    public static final String TAG_STATE = "state";
    public static final String TAG_DATASET = "dataset";
    public static final String TAG_OUTCOME = "outcome";

    /** Every timer named {@code lake.*} gets these histogram buckets (seconds). */
    static final double[] DURATION_BUCKETS_SECONDS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600};
    /**
     * Every distribution summary named {@code lake.*.percent} gets these buckets (percent). Micrometer
     * rounds a summary's values up to whole numbers before bucketing them (its sum and max stay
     * exact), so the boundaries are whole percents: then "rounded value <= b" holds exactly when
     * "value <= b", and every bucket count is exact.
     */
    static final double[] PERCENT_BUCKETS = {1, 2, 5, 10, 25, 50, 100};

    private LakeMetrics() {
    }
}
