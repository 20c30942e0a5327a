package dev.mortgagelake.quarkus;

import dev.mortgagelake.topology.LakeTopology;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Depth of the service's own queues and their dead-letter queues as gauges
 * ({@value LakeMetrics#QUEUE_MESSAGES}), read with SQS GetQueueAttributes on a schedule, never at
 * scrape time. The queues are those of the service's incoming {@code smallrye-sqs} channels, their
 * {@code <queue>-dlq}, and {@code lake.metrics.queues.extra}.
 *
 * <p>The age of the oldest message is not exported: SQS gives it only as the CloudWatch metric
 * {@code ApproximateAgeOfOldestMessage}. Peeking a message to read its {@code SentTimestamp} would
 * count as a receive (moving messages toward their DLQ after {@code maxReceiveCount} peeks) and would
 * see an arbitrary message, not the oldest. A gauge is NaN until its first successful read and after
 * a failed one, so a stale value never looks like an empty queue.
 */
@ApplicationScoped
public class QueueDepthMetrics {

    private static final Logger LOG = Logger.getLogger(QueueDepthMetrics.class);
    private static final String INCOMING = "mp.messaging.incoming.";
    private static final Map<String, QueueAttributeName> STATES = Map.of(
            "visible", QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            "in_flight", QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            "delayed", QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);

    @Inject
    SqsAsyncClient sqs;

    @Inject
    MeterRegistry registry;

    @Inject
    LakeConfig config;

    @Inject
    Config mpConfig;

    /** Queue name to the latest value per state; filled once, before the first poll reads it. */
    private final Map<String, Map<String, AtomicReference<Double>>> depths = new ConcurrentHashMap<>();
    private final Map<String, String> urls = new ConcurrentHashMap<>();
    private boolean registered;

    void registerAtStartup(@Observes StartupEvent started) {
        registerGauges();
    }

    /** Registers the gauges once, whichever comes first: start-up or the scheduler's first poll. */
    synchronized void registerGauges() {
        if (registered || !config.metrics().queues().enabled()) {
            return;
        }
        registered = true;
        for (String queue : reportedQueues()) {
            for (String q : List.of(queue, queue + LakeTopology.DEAD_LETTER_SUFFIX)) {
                String role = q.equals(queue) ? LakeMetrics.ROLE_QUEUE : LakeMetrics.ROLE_DEAD_LETTER;
                Map<String, AtomicReference<Double>> byState = new LinkedHashMap<>();
                STATES.keySet().forEach(state -> {
                    AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
                    byState.put(state, value);
                    Gauge.builder(LakeMetrics.QUEUE_MESSAGES, value, AtomicReference::get)
                            .description("Approximate number of messages in the queue (SQS GetQueueAttributes)")
                            .tags(LakeMetrics.TAG_QUEUE, q, LakeMetrics.TAG_ROLE, role, LakeMetrics.TAG_STATE, state)
                            .register(registry);
                });
                depths.put(q, byState);
                registry.counter(LakeMetrics.QUEUE_POLL_FAILURES, LakeMetrics.TAG_QUEUE, q);
            }
        }
    }

    /** The incoming channels' queues and the configured extra ones, without DLQs. */
    Set<String> reportedQueues() {
        Set<String> queues = new TreeSet<>();
        for (String name : mpConfig.getPropertyNames()) {
            if (name.startsWith(INCOMING) && name.endsWith(".queue")
                    && "smallrye-sqs".equals(mpConfig.getOptionalValue(name.substring(0, name.length() - ".queue".length()) + ".connector",
                    String.class).orElse(""))) {
                mpConfig.getOptionalValue(name, String.class).ifPresent(queues::add);
            }
        }
        config.metrics().queues().extra().ifPresent(queues::addAll);
        return queues;
    }

    @Scheduled(every = "${lake.metrics.queues.every:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        registerGauges();
        depths.forEach((queue, byState) -> {
            try {
                String url = urls.computeIfAbsent(queue, this::urlOf);
                GetQueueAttributesResponse response = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(STATES.values()))
                        .get(10, TimeUnit.SECONDS);
                STATES.forEach((state, attribute) ->
                        byState.get(state).set(Double.parseDouble(response.attributes().getOrDefault(attribute, "NaN"))));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                urls.remove(queue);
                byState.values().forEach(v -> v.set(Double.NaN));
                registry.counter(LakeMetrics.QUEUE_POLL_FAILURES, LakeMetrics.TAG_QUEUE, queue).increment();
                LOG.debugf("Could not read the attributes of queue %s: %s", queue, e.getMessage());
            }
        });
    }

    private String urlOf(String queue) {
        try {
            return sqs.getQueueUrl(r -> r.queueName(queue)).get(10, TimeUnit.SECONDS).queueUrl();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("No URL for queue " + queue + ": " + e.getMessage(), e);
        }
    }
}
