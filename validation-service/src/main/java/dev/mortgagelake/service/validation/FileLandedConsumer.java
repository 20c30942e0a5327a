package dev.mortgagelake.service.validation;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.validation.RunValidator;
import dev.mortgagelake.quarkus.MessageConsumption;
import org.eclipse.microprofile.reactive.messaging.Message;
import java.util.concurrent.CompletionStage;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Validates each landed run and emits {@code run-validated} to publish-service and retry-service.
 * The message is acknowledged only after Silver, Quarantine and the validation record are written
 * and both sends were accepted; a redelivery returns the stored validation record and re-emits. While
 * a file is validated its message's visibility is extended ({@link MessageConsumption}), so no other
 * replica starts the same validation; a poison message goes to the dead-letter queue.
 */
@ApplicationScoped
public class FileLandedConsumer {

    @Inject
    RunValidator validator;

    @Inject
    RunValidatedAnnouncer announcer;

    @Inject
    MessageConsumption consumption;

    @Incoming(ValidationChannels.FILE_LANDED)
    @Blocking
    public CompletionStage<Void> onFileLanded(Message<String> message) {
        return consumption.consume(ValidationChannels.FILE_LANDED, message, this::onFileLanded);
    }

    void onFileLanded(String body) {
        FileLanded landed = EventCodec.<FileLanded>decode(body, EventType.FILE_LANDED).data();
        announcer.validateAndAnnounce(landed.runId(), ValidationMetrics.VALIDATION_DURATION, () -> validator.validate(landed));
    }
}
