package dev.mortgagelake.quarkus;

import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.aws.sqs.SqsReceiveMessageRequestCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

import java.time.Duration;

/**
 * Keeps the SmallRye SQS connector's receive loop alive through an SQS outage. The connector retries a
 * failed ReceiveMessage only for a retryable {@code SqsException}; any other failure (connection
 * refused, reset, timeout: what an unreachable SQS gives) ends the channel's stream for good, and the
 * service would never consume again without a restart. This customizer, set on every incoming channel
 * ({@code mp.messaging.incoming.<channel>.receive.request.customizer=lake-outage-tolerant-receive}),
 * gives each ReceiveMessage call a request-level retry strategy: connection failures, 5xx and
 * throttling are retried with exponential backoff (0.2 s up to {@value #MAX_BACKOFF_SECONDS} s), with no
 * circuit breaker and practically no attempt limit, so the poll simply waits until SQS answers again.
 * Readiness ({@link QueueReadiness}) reports SQS down meanwhile.
 */
@ApplicationScoped
@Unremovable
@Identifier(OutageTolerantReceive.IDENTIFIER)
public class OutageTolerantReceive implements SqsReceiveMessageRequestCustomizer {

    public static final String IDENTIFIER = "lake-outage-tolerant-receive";
    static final long MAX_BACKOFF_SECONDS = 5;

    private static final Logger LOG = Logger.getLogger(OutageTolerantReceive.class);

    private final RetryStrategy retryStrategy = StandardRetryStrategy.builder()
            .maxAttempts(Integer.MAX_VALUE)
            .circuitBreakerEnabled(false)
            .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(200), Duration.ofSeconds(MAX_BACKOFF_SECONDS)))
            .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(500), Duration.ofSeconds(MAX_BACKOFF_SECONDS)))
            .retryOnException(OutageTolerantReceive::isOutage)
            .treatAsThrottling(e -> e instanceof SdkServiceException service && service.isThrottlingException())
            .build();

    private final SdkPlugin plugin = config -> config.overrideConfiguration(
            config.overrideConfiguration().toBuilder().retryStrategy(retryStrategy).build());

    @Override
    public void customize(ReceiveMessageRequest.Builder builder) {
        builder.overrideConfiguration(o -> o.addPlugin(plugin));
    }

    /** Failures that mean "SQS is not reachable or not well right now": worth waiting for. */
    static boolean isOutage(Throwable failure) {
        boolean outage = failure instanceof SdkClientException
                || failure instanceof SdkServiceException service && (service.statusCode() >= 500 || service.isThrottlingException());
        if (outage) {
            LOG.debugf("ReceiveMessage failed (%s); retrying until SQS answers", failure.getMessage());
        }
        return outage;
    }
}
