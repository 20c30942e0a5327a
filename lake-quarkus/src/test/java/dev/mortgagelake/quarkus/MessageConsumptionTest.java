package dev.mortgagelake.quarkus;

import dev.mortgagelake.event.InvalidEventException;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectNotFoundException;
import dev.mortgagelake.storage.StorageException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures are poison, which are outages worth holding a message for, and which are neither. */
class MessageConsumptionTest {

    @Test
    void poisonIsAnInvalidEventOrAMissingObjectAnywhereInTheCauses() {
        assertThat(MessageConsumption.poisonReason(new InvalidEventException(InvalidEventException.Reason.NEWER_VERSION, "v2")))
                .contains(InvalidEventException.Reason.NEWER_VERSION);
        assertThat(MessageConsumption.poisonReason(new IllegalStateException("wrapped",
                new ObjectNotFoundException(new Location("b", "bronze/x.csv"))))).contains(InvalidEventException.Reason.MISSING_OBJECT);
        assertThat(MessageConsumption.poisonReason(new InvalidEventException("retry-due names a batch that does not exist",
                new ObjectNotFoundException(new Location("b", "q/x.parquet"))))).contains(InvalidEventException.Reason.MISSING_OBJECT);
        assertThat(MessageConsumption.poisonReason(new IllegalStateException("a bug"))).isEmpty();
    }

    @Test
    void anOutageIsAClientFailureOrA5xxOrThrottlingAnywhereInTheCauses() {
        assertThat(MessageConsumption.isOutage(new StorageException("S3 failed", true,
                SdkClientException.create("Unable to execute HTTP request", new ConnectException("Connection refused"))))).isTrue();
        assertThat(MessageConsumption.isOutage(S3Exception.builder().statusCode(503).message("SlowDown").build())).isTrue();
        assertThat(MessageConsumption.isOutage(S3Exception.builder().statusCode(403).message("AccessDenied").build())).isFalse();
        assertThat(MessageConsumption.isOutage(new IllegalStateException("a bug"))).isFalse();
    }
}
