package dev.mortgagelake.ingest;

import dev.mortgagelake.event.InvalidEventException;
import dev.mortgagelake.ingest.notification.LandedObject;
import dev.mortgagelake.ingest.notification.S3EventNotifications;
import dev.mortgagelake.storage.Location;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3EventNotificationsTest {

    /** A notification as Amazon S3 documents it, with a URL-encoded key. */
    private static final String AWS_SAMPLE = """
            {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"eu-west-1",
              "eventTime":"2026-01-21T12:00:00.000Z","eventName":"ObjectCreated:Put",
              "userIdentity":{"principalId":"AWS:AIDAJDPLRKLG7UEXAMPLE"},
              "s3":{"s3SchemaVersion":"1.0","configurationId":"landing",
                "bucket":{"name":"ohpen-landing","arn":"arn:aws:s3:::ohpen-landing"},
                "object":{"key":"incoming/2026-01-21/transactions+%281%29.csv.gz","size":1024,
                  "eTag":"d41d8cd98f00b204e9800998ecf8427e","sequencer":"0055AED6DCD90281E5"}}},
             {"eventVersion":"2.1","eventSource":"aws:s3","eventName":"ObjectRemoved:Delete",
              "eventTime":"2026-01-21T12:00:01.000Z",
              "s3":{"bucket":{"name":"ohpen-landing"},"object":{"key":"incoming/old.csv"}}}]}
            """;

    @Test
    void createdRecordsAreReadWithTheirKeysDecoded() {
        List<LandedObject> created = S3EventNotifications.createdObjects(AWS_SAMPLE);

        assertThat(created).containsExactly(new LandedObject(
                new Location("ohpen-landing", "incoming/2026-01-21/transactions (1).csv.gz"), 1024,
                "d41d8cd98f00b204e9800998ecf8427e", Instant.parse("2026-01-21T12:00:00Z")));
    }

    @Test
    void theTestEventS3SendsOnConfigurationIsIgnored() {
        String testEvent = """
                {"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-01-21T12:00:00.000Z",
                 "Bucket":"ohpen-landing","RequestId":"5582815E1AEA5ADF","HostId":"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE"}
                """;

        assertThat(S3EventNotifications.createdObjects(testEvent)).isEmpty();
    }

    @Test
    void whatTheLocalStackSendsReadsBackAsTheSameObject() {
        Location location = new Location("landing", "incoming/a file+with%odd chars.csv");
        String json = S3EventNotifications.objectCreated(location, 42, "abc", Instant.parse("2026-01-21T12:00:00Z"));

        assertThat(S3EventNotifications.createdObjects(json))
                .containsExactly(new LandedObject(location, 42, "abc", Instant.parse("2026-01-21T12:00:00Z")));
    }

    @Test
    void somethingElseIsRejectedAsNotAnS3Notification() {
        assertThatThrownBy(() -> S3EventNotifications.createdObjects("{\"specversion\":\"1.0\"}"))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("Records");
        assertThatThrownBy(() -> S3EventNotifications.createdObjects("not json"))
                .isInstanceOf(InvalidEventException.class);
    }
}
