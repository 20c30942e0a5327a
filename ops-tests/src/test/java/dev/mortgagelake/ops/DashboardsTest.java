package dev.mortgagelake.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Grafana dashboards and their provisioning agree with each other and with the compose mounts. */
class DashboardsTest {

    @Test
    void everyPanelQueriesTheProvisionedPrometheusDatasource() {
        JsonNode datasource = Repository.yaml("deploy/grafana/provisioning/datasources/prometheus.yml").get("datasources").get(0);
        assertThat(datasource.get("type").asText()).isEqualTo("prometheus");
        assertThat(datasource.get("url").asText()).isEqualTo("http://prometheus:9090");
        String uid = datasource.get("uid").asText();

        List<JsonNode> dashboards = Repository.dashboards();
        assertThat(dashboards).extracting(d -> d.get("uid").asText())
                .containsExactlyInAnyOrder("lake-pipeline-overview", "lake-data-quality", "lake-queues");
        for (JsonNode dashboard : dashboards) {
            assertThat(dashboard.get("panels")).as(dashboard.get("title").asText()).isNotEmpty();
            for (JsonNode panel : dashboard.get("panels")) {
                String where = dashboard.get("title").asText() + " / " + panel.get("title").asText();
                assertThat(panel.get("datasource").get("uid").asText()).as(where).isEqualTo(uid);
                assertThat(panel.get("targets")).as(where).isNotEmpty();
                panel.get("targets").forEach(target -> {
                    assertThat(target.get("datasource").get("uid").asText()).as(where).isEqualTo(uid);
                    assertThat(target.get("expr").asText()).as(where).isNotBlank();
                });
            }
        }
    }

    @Test
    void theDashboardProviderReadsTheDirectoryComposeMounts() {
        JsonNode provider = Repository.yaml("deploy/grafana/provisioning/dashboards/mortgage-lake.yml").get("providers").get(0);
        assertThat(provider.get("type").asText()).isEqualTo("file");
        assertThat(Repository.text("docker-compose.yml"))
                .contains("./deploy/grafana/dashboards:" + provider.get("options").get("path").asText() + ":ro");
    }
}
