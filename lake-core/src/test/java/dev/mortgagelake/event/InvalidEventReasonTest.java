package dev.mortgagelake.event;

import dev.mortgagelake.ingest.notification.S3EventNotifications;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Why a message is poison is part of the exception, for the log line and the metric label. */
class InvalidEventReasonTest {

    private static InvalidEventException.Reason reasonOf(String body, EventType expected) {
        return catchThrowableOfType(InvalidEventException.class, () -> EventCodec.decode(body, expected)).reason();
    }

    private static String event(String type) {
        return "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/t\",\"type\":\"" + type + "\",\"data\":{}}";
    }

    @Test
    void eachKindOfPoisonHasItsReason() {
        assertThat(reasonOf("TransactionID,CustomerID", EventType.FILE_LANDED)).isEqualTo(InvalidEventException.Reason.NOT_JSON);
        assertThat(reasonOf("[1,2]", EventType.FILE_LANDED)).isEqualTo(InvalidEventException.Reason.NOT_JSON);
        assertThat(reasonOf("{\"hello\":1}", EventType.FILE_LANDED)).isEqualTo(InvalidEventException.Reason.UNKNOWN_TYPE);
        assertThat(reasonOf(event("dev.mortgagelake.run-promoted.v1"), EventType.FILE_LANDED)).isEqualTo(InvalidEventException.Reason.UNKNOWN_TYPE);
        assertThat(reasonOf(event("dev.mortgagelake.file-landed.v2"), EventType.FILE_LANDED)).isEqualTo(InvalidEventException.Reason.NEWER_VERSION);
        assertThat(reasonOf(event("dev.mortgagelake.file-landed.v12"), EventType.FILE_LANDED)).isEqualTo(InvalidEventException.Reason.NEWER_VERSION);
        // an older or malformed version is not "newer"
        assertThat(reasonOf(event("dev.mortgagelake.file-landed.v0"), EventType.FILE_LANDED)).isEqualTo(InvalidEventException.Reason.UNKNOWN_TYPE);
        assertThat(reasonOf(event("dev.mortgagelake.file-landed.vX"), EventType.FILE_LANDED)).isEqualTo(InvalidEventException.Reason.UNKNOWN_TYPE);
        assertThat(reasonOf(event("dev.mortgagelake.file-landed.v1").replace("\"data\":{}", "\"data\":{\"landed_at\":\"yesterday\"}"),
                EventType.FILE_LANDED)).isEqualTo(InvalidEventException.Reason.INVALID_EVENT);
    }

    @Test
    void landingNotificationsThatAreNotS3NotificationsArePoisonToo() {
        assertThat(catchThrowableOfType(InvalidEventException.class, () -> S3EventNotifications.createdObjects("not json")).reason())
                .isEqualTo(InvalidEventException.Reason.NOT_JSON);
        assertThat(catchThrowableOfType(InvalidEventException.class, () -> S3EventNotifications.createdObjects(event("x"))).reason())
                .isEqualTo(InvalidEventException.Reason.UNKNOWN_TYPE);
    }
}
