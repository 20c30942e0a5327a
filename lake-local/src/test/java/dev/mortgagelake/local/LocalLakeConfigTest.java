package dev.mortgagelake.local;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LocalLakeConfigTest {

    private final Map<String, String> common = LocalLake.commonConfig(URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:2"));

    @Test
    void servicesArePointedAtTheEmbeddedServersWithPlainSignedUploads() {
        assertThat(common).containsEntry("quarkus.s3.endpoint-override", "http://127.0.0.1:1")
                .containsEntry("quarkus.sqs.endpoint-override", "http://127.0.0.1:2")
                .containsEntry("quarkus.s3.path-style-access", "true")
                .containsEntry("quarkus.s3.chunked-encoding", "false")
                .containsEntry("lake.buckets.silver", LocalLake.BUCKETS.silver());
    }

    @Test
    void featureSettingsGoOnlyToTheirServiceAndEverythingElseToAll() {
        Map<String, String> extra = Map.of("lake.ingest.sweep.every", "5s", "lake.retry.backoff", "1s",
                "mp.messaging.incoming.x.wait-time-seconds", "1", "lake.metrics.queues.every", "2s");

        assertThat(LocalLake.configFor("ingest-service", common, extra))
                .containsEntry("lake.ingest.sweep.every", "5s").doesNotContainKey("lake.retry.backoff")
                .containsEntry("mp.messaging.incoming.x.wait-time-seconds", "1");
        assertThat(LocalLake.configFor("retry-service", common, extra))
                .containsEntry("lake.retry.backoff", "1s").doesNotContainKey("lake.ingest.sweep.every");
        assertThat(LocalLake.configFor("publish-service", common, extra))
                .doesNotContainKeys("lake.retry.backoff", "lake.ingest.sweep.every")
                .containsEntry("lake.metrics.queues.every", "2s");
    }

    @Test
    void aKeyPrefixedWithAServiceGoesOnlyToThatService() {
        Map<String, String> extra = Map.of("validation-service:mp.messaging.incoming.file-landed.visibility-timeout", "15");

        assertThat(LocalLake.configFor("validation-service", common, extra))
                .containsEntry("mp.messaging.incoming.file-landed.visibility-timeout", "15");
        assertThat(LocalLake.configFor("ingest-service", common, extra).keySet()).noneMatch(key -> key.contains("file-landed"));
    }

    @Test
    void theConsoleIsPointedAtTheServicesAndGetsNoLakeSettingsOrAwsCredentials() {
        Map<String, URI> urls = Map.of("ingest-service", URI.create("http://127.0.0.1:11"), "retry-service", URI.create("http://127.0.0.1:13"),
                "publish-service", URI.create("http://127.0.0.1:14"));
        Map<String, String> extra = Map.of("lake.retry.backoff", "1s", "lake.console.session-idle", "5m", "lake.buckets.silver", "s");

        Map<String, String> console = LocalLake.consoleConfig(urls, extra);

        assertThat(console).containsEntry("lake.console.publish-url", "http://127.0.0.1:14")
                .containsEntry("lake.console.retry-url", "http://127.0.0.1:13")
                .containsEntry("lake.console.ingest-url", "http://127.0.0.1:11")
                .containsEntry("lake.console.session-idle", "5m")
                .doesNotContainKeys("lake.retry.backoff", "lake.buckets.silver");
        assertThat(console.keySet()).noneMatch(key -> key.contains("aws") || key.contains("s3") || key.contains("sqs"));
    }
}
