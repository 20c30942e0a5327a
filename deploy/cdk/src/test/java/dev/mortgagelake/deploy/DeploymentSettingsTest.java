package dev.mortgagelake.deploy;

import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.topology.LakeTopology;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeploymentSettingsTest {

    @Test
    void defaultsAreTheLakesOwnNames() {
        DeploymentSettings settings = DeploymentSettings.fromContext(new App().getNode());

        assertThat(settings).isEqualTo(DeploymentSettings.defaults());
        assertThat(settings.buckets()).isEqualTo(new LakeBuckets("lake-landing", "lake-bronze", "lake-silver", "lake-gold", "lake-quarantine"));
        assertThat(settings.queues()).isEqualTo(LakeTopology.QueueNames.defaults());
        assertThat(settings.topology().landingNotification())
                .isEqualTo(new LakeTopology.LandingNotification("lake-landing", "incoming/", "lake-landing"));
    }

    @Test
    void contextOverridesNamesImagesAndRetention() {
        App app = new App(AppProps.builder().context(Map.of(
                "lake.buckets.bronze", "acme-lake-bronze",
                "lake.queues.file-landed", "acme-file-landed",
                "lake.image.publish-service", "registry.example/publish:1.2.3",
                "lake.image-tag", "0.1.0",
                "lake.bronze-lock-days", "365")).build());

        DeploymentSettings settings = DeploymentSettings.fromContext(app.getNode());

        assertThat(settings.buckets().bronze()).isEqualTo("acme-lake-bronze");
        assertThat(settings.buckets().silver()).isEqualTo("lake-silver");
        assertThat(settings.queues().fileLanded()).isEqualTo("acme-file-landed");
        assertThat(settings.imageOverrides()).containsExactly(Map.entry("publish-service", "registry.example/publish:1.2.3"));
        assertThat(settings.imageTag()).isEqualTo("0.1.0");
        assertThat(settings.bronzeLockDays()).isEqualTo(365);
        assertThat(settings.topology().queues()).anySatisfy(q -> {
            assertThat(q.name()).isEqualTo("acme-file-landed");
            assertThat(q.deadLetterQueue()).isEqualTo("acme-file-landed-dlq");
        });
        assertThat(LakeServices.environment(LakeServiceSpec.VALIDATION, settings))
                .containsEntry("LAKE_BUCKETS_BRONZE", "acme-lake-bronze")
                .containsEntry("MP_MESSAGING_INCOMING_FILE_LANDED_QUEUE", "acme-file-landed");
    }

    @Test
    void contextBucketsAndGlueDatabaseFlowIntoTheIcebergTablesAndPublishServicesCatalogSettings() {
        App app = new App(AppProps.builder().context(Map.of(
                "lake.buckets.silver", "acme-lake-silver",
                "lake.buckets.gold", "acme-lake-gold",
                "lake.glue-database", "acme_lake")).build());

        DeploymentSettings settings = DeploymentSettings.fromContext(app.getNode());

        assertThat(settings.icebergWarehouse()).isEqualTo("s3://acme-lake-silver/_iceberg-warehouse");
        assertThat(LakeCatalog.icebergTables(settings)).extracting(t -> t.identifier().toString()).containsExactly(
                "acme_lake.silver_transactions", "acme_lake.gold_account_balances", "acme_lake.gold_monthly_reports",
                "acme_lake.gold_transaction_summaries");
        assertThat(LakeCatalog.icebergTables(settings).get(0).location())
                .isEqualTo("s3://acme-lake-silver/silver/mortgages/transactions/_table/schema_v=v1/_iceberg");
        assertThat(LakeCatalog.icebergTables(settings).get(1).location()).startsWith("s3://acme-lake-gold/gold/finance/account_balances/");
        assertThat(LakeServices.environment(LakeServiceSpec.PUBLISH, settings))
                .containsEntry("LAKE_PUBLISH_ICEBERG_CATALOG", "glue")
                .containsEntry("LAKE_PUBLISH_ICEBERG_WAREHOUSE", "s3://acme-lake-silver/_iceberg-warehouse")
                .containsEntry("LAKE_PUBLISH_ICEBERG_NAMESPACE", "acme_lake");
        assertThat(LakeServices.environment(LakeServiceSpec.VALIDATION, settings)).doesNotContainKey("LAKE_PUBLISH_ICEBERG_CATALOG");
    }

    @Test
    void environmentVariablesFollowSmallRyeConfigMapping() {
        assertThat(LakeServiceSpec.environmentVariable("mp.messaging.incoming.file-landed.queue"))
                .isEqualTo("MP_MESSAGING_INCOMING_FILE_LANDED_QUEUE");
        assertThat(LakeServiceSpec.environmentVariable("lake.buckets.silver")).isEqualTo("LAKE_BUCKETS_SILVER");
        assertThat(LakeServiceSpec.PUBLISH.outgoing().get(0).queueEnvironmentVariable())
                .isEqualTo("MP_MESSAGING_OUTGOING_RUN_PROMOTED_QUEUE");
    }

    @Test
    void oneBucketForEveryLayerIsRefused() {
        DeploymentSettings d = DeploymentSettings.defaults();
        DeploymentSettings shared = new DeploymentSettings(new LakeBuckets("lake", "lake", "lake", "lake", "lake"), d.queues(),
                d.landingPrefix(), d.imageTag(), d.imageOverrides(), d.bronzeLockDays(), d.natGateways(), d.glueDatabase());

        assertThatThrownBy(() -> new LakeStack(new App(), "Shared", StackProps.builder().build(), shared))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one bucket per layer");
    }

    @Test
    void landingPrefixMustBeADirectory() {
        DeploymentSettings d = DeploymentSettings.defaults();
        assertThatThrownBy(() -> new DeploymentSettings(d.buckets(), d.queues(), "incoming", d.imageTag(), d.imageOverrides(),
                d.bronzeLockDays(), d.natGateways(), d.glueDatabase()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
