package dev.mortgagelake.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml (LocalStack) and its token-free override docker-compose.floci.yml, validated by
 * Debian's docker-compose without a Docker engine ({@code docker-compose config} parses, checks the
 * schema, interpolates and merges; it does not pull or run anything).
 */
class ComposeFilesTest {

    @Test
    void theLocalStackVariantIsValidAndRunsTheWholeStackOnPinnedImages() {
        JsonNode services = render("-f", "docker-compose.yml").get("services");
        assertThat(names(services)).contains("localstack", "lake-topology", "ingest-service", "validation-service",
                "retry-service", "publish-service", "prometheus", "grafana");
        assertThat(services.get("localstack").get("image").asText()).startsWith("localstack/localstack:3.");
        assertPinned(services);
        assertTopologyFirst(services);
        assertConsoleCallsTheServices(services);
        assertThat(services.get("prometheus").get("volumes").toString())
                .contains("deploy/prometheus/alerts.yml").contains("/etc/prometheus/alerts.yml");
        assertThat(services.get("grafana").get("volumes").toString())
                .contains("deploy/grafana/provisioning").contains("/var/lib/grafana/dashboards");
    }

    @Test
    void theFlociVariantIsValidAndReplacesOnlyTheEmulator() {
        JsonNode services = render("-f", "docker-compose.yml", "-f", "docker-compose.floci.yml").get("services");
        JsonNode emulator = services.get("localstack");
        assertThat(emulator.get("image").asText()).startsWith("floci/floci:").endsWith("-compat");
        assertThat(emulator.get("environment").get("FLOCI_HOSTNAME").asText()).isEqualTo("localstack");
        assertThat(services.get("ingest-service").get("environment").get("QUARKUS_SQS_ENDPOINT_OVERRIDE").asText())
                .isEqualTo("http://localstack:4566");
        assertPinned(services);
        assertTopologyFirst(services);
    }

    /**
     * The one-shot lake-topology ({@code ./lake topology}, the embedded servers' bootstrap) runs against the
     * emulator, retrying until it answers, and each service starts only once it has succeeded.
     */
    private static void assertTopologyFirst(JsonNode services) {
        JsonNode topology = services.get("lake-topology");
        assertThat(topology.get("build").get("dockerfile").asText()).isEqualTo("src/main/docker/Dockerfile.jvm");
        assertThat(topology.get("build").get("context").asText()).endsWith("lake-local");
        assertThat(topology.get("command")).extracting(JsonNode::asText)
                .startsWith("topology")
                .contains("--s3-endpoint=http://localstack:4566", "--sqs-endpoint=http://localstack:4566")
                .anyMatch(argument -> argument.startsWith("--wait="));
        assertThat(topology.get("depends_on").has("localstack")).isTrue();
        for (String service : java.util.List.of("ingest-service", "validation-service", "retry-service", "publish-service")) {
            assertThat(services.get(service).get("depends_on").get("lake-topology").get("condition").asText()).as(service)
                    .isEqualTo("service_completed_successfully");
        }
    }

    /** The console holds no lake credentials: it is pointed at the services' operator APIs on the compose network. */
    private static void assertConsoleCallsTheServices(JsonNode services) {
        JsonNode console = services.get("console-service");
        assertThat(console.get("build").get("context").asText()).endsWith("console-service");
        JsonNode environment = console.get("environment");
        assertThat(environment.get("LAKE_CONSOLE_PUBLISH_URL").asText()).isEqualTo("http://publish-service:8080");
        assertThat(environment.get("LAKE_CONSOLE_RETRY_URL").asText()).isEqualTo("http://retry-service:8080");
        assertThat(environment.get("LAKE_CONSOLE_INGEST_URL").asText()).isEqualTo("http://ingest-service:8080");
        assertThat(environment.has("QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_SECRET_ACCESS_KEY")).as("no S3 credentials").isFalse();
        assertThat(console.get("depends_on").has("publish-service")).isTrue();
    }

    private static JsonNode render(String... files) {
        String[] command = new String[files.length + 2];
        command[0] = "docker-compose";
        System.arraycopy(files, 0, command, 1, files.length);
        command[command.length - 1] = "config";
        CommandRun run = CommandRun.of(Repository.root(), command);
        assertThat(run.exitCode()).as(run.describe()).isZero();
        try {
            return Repository.YAML.readTree(run.output());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every image has an explicit tag other than latest (built images are tagged :local). */
    private static void assertPinned(JsonNode services) {
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> service = it.next();
            String image = service.getValue().path("image").asText("");
            assertThat(image).as(service.getKey()).matches("[^:]+:[^:]+").doesNotEndWith(":latest");
        }
    }

    private static java.util.List<String> names(JsonNode services) {
        java.util.List<String> names = new java.util.ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
