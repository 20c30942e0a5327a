package dev.mortgagelake.service.validation;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.RetryDue;
import dev.mortgagelake.validation.RunValidator;
import dev.mortgagelake.quarkus.MessageConsumption;
import org.eclipse.microprofile.reactive.messaging.Message;
import java.util.concurrent.CompletionStage;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Re-validates each due quarantine (or condemned) batch as the retry run retry-service named
 * ({@link RunValidator#retry}) and emits that run's {@code run-validated} to publish-service and
 * retry-service. The message is acknowledged only after the retry run is committed and both sends
 * were accepted; a redelivery, or another emission of the same attempt, returns the stored validation
 * record and re-emits. The message's visibility is extended while the batch is re-validated
 * ({@link MessageConsumption}).
 */
@ApplicationScoped
public class RetryDueConsumer {

    @Inject
    RunValidator validator;

    @Inject
    RunValidatedAnnouncer announcer;

    @Inject
    MessageConsumption consumption;

    @Incoming(ValidationChannels.RETRY_DUE)
    @Blocking
    public CompletionStage<Void> onRetryDue(Message<String> message) {
        return consumption.consume(ValidationChannels.RETRY_DUE, message, this::onRetryDue);
    }

    void onRetryDue(String body) {
        RetryDue due = EventCodec.<RetryDue>decode(body, EventType.RETRY_DUE).data();
        announcer.validateAndAnnounce(due.retryRunId(), ValidationMetrics.RETRY_DURATION, () -> validator.retry(due));
    }
}
