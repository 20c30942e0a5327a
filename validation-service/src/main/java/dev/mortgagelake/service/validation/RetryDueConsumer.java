package dev.mortgagelake.service.validation;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.RetryDue;
import dev.mortgagelake.validation.RunValidator;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Re-validates each due quarantine (or condemned) batch as the retry run retry-service named
 * ({@link RunValidator#retry}) and emits that run's {@code run-validated} to publish-service and
 * retry-service. The message is acknowledged only after the retry run is committed and both sends
 * were accepted; a redelivery, or another emission of the same attempt, returns the stored validation
 * record and re-emits.
 */
@ApplicationScoped
public class RetryDueConsumer {

    @Inject
    RunValidator validator;

    @Inject
    RunValidatedAnnouncer announcer;

    @Incoming(ValidationChannels.RETRY_DUE)
    @Blocking
    public void onRetryDue(String body) {
        RetryDue due = EventCodec.<RetryDue>decode(body, EventType.RETRY_DUE).data();
        announcer.validateAndAnnounce(due.retryRunId(), ValidationMetrics.RETRY_DURATION, () -> validator.retry(due));
    }
}
