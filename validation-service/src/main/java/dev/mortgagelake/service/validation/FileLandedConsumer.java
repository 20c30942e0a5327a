package dev.mortgagelake.service.validation;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.validation.RunValidator;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Validates each landed run and emits {@code run-validated} to publish-service and retry-service.
 * The message is acknowledged only after Silver, Quarantine and the validation record are written
 * and both sends were accepted; a redelivery returns the stored validation record and re-emits.
 */
@ApplicationScoped
public class FileLandedConsumer {

    @Inject
    RunValidator validator;

    @Inject
    RunValidatedAnnouncer announcer;

    @Incoming(ValidationChannels.FILE_LANDED)
    @Blocking
    public void onFileLanded(String body) {
        FileLanded landed = EventCodec.<FileLanded>decode(body, EventType.FILE_LANDED).data();
        announcer.validateAndAnnounce(landed.runId(), ValidationMetrics.VALIDATION_DURATION, () -> validator.validate(landed));
    }
}
