package dev.mortgagelake.deploy;

import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.topology.LakeTopology;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;

import java.util.List;
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
                d.landingPrefix(), d.imageTag(), d.imageOverrides(), d.bronzeLockDays(), d.natGateways(), d.glueDatabase(),
                d.serviceNamespace(), d.console());

        assertThatThrownBy(() -> new LakeStack(new App(), "Shared", StackProps.builder().build(), shared))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one bucket per layer");
    }

    @Test
    void landingPrefixMustBeADirectory() {
        DeploymentSettings d = DeploymentSettings.defaults();
        assertThatThrownBy(() -> new DeploymentSettings(d.buckets(), d.queues(), "incoming", d.imageTag(), d.imageOverrides(),
                d.bronzeLockDays(), d.natGateways(), d.glueDatabase(), d.serviceNamespace(), d.console()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- Service namespace and the operator console ---------------------------------------------

    static final String ISSUER = "https://login.example.com/realms/lake";
    static final String CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-123456789012";

    static DeploymentSettings fromContext(Map<String, String> context) {
        return DeploymentSettings.fromContext(new App(AppProps.builder().context(Map.copyOf(context)).build()).getNode());
    }

    static Map<String, String> consoleContext() {
        return Map.of(
                "lake.console.oidc-issuer", ISSUER,
                "lake.console.oidc-client-id", "lake-console",
                "lake.console.oidc-secret-name", "mortgage-lake/console-oidc",
                "lake.console.certificate-arn", CERTIFICATE);
    }

    @Test
    void byDefaultTheNamespaceIsLakeInternalAndThereIsNoConsole() {
        DeploymentSettings settings = DeploymentSettings.defaults();

        assertThat(settings.serviceNamespace()).isEqualTo("lake.internal");
        assertThat(settings.console()).isEmpty();
        assertThat(LakeServices.operatorApiUrl(LakeServiceSpec.PUBLISH, settings)).isEqualTo("http://publish-service.lake.internal:8080");
        // Without a console the services keep their own configuration (their operator API has no ingress).
        assertThat(LakeServices.environment(LakeServiceSpec.PUBLISH, settings).keySet())
                .noneMatch(k -> k.startsWith("QUARKUS_OIDC_") || k.startsWith("QUARKUS_SECURITY_"));
    }

    @Test
    void contextSetsTheNamespaceAndTheConsole() {
        Map<String, String> context = new java.util.HashMap<>(consoleContext());
        context.put("lake.service-namespace", "acme-lake.internal");
        context.put("lake.console.internet-facing", "true");
        context.put("lake.image.console-service", "registry.example/console:2.0.0");

        DeploymentSettings settings = fromContext(context);

        assertThat(settings.serviceNamespace()).isEqualTo("acme-lake.internal");
        assertThat(settings.console()).contains(new DeploymentSettings.ConsoleSettings(ISSUER, "lake-console",
                "mortgage-lake/console-oidc", CERTIFICATE, true));
        assertThat(settings.imageOverrides()).containsExactly(Map.entry("console-service", "registry.example/console:2.0.0"));
        assertThat(LakeConsole.environment(settings, settings.console().orElseThrow()))
                .containsEntry("LAKE_CONSOLE_INGEST_URL", "http://ingest-service.acme-lake.internal:8080")
                .containsEntry("LAKE_CONSOLE_RETRY_URL", "http://retry-service.acme-lake.internal:8080")
                .containsEntry("LAKE_CONSOLE_PUBLISH_URL", "http://publish-service.acme-lake.internal:8080");
        assertThatThrownBy(() -> LakeServices.operatorApiUrl(LakeServiceSpec.VALIDATION, settings))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theConsoleLoadBalancerIsInternalUnlessSaidOtherwise() {
        assertThat(fromContext(consoleContext()).console().orElseThrow().internetFacing()).isFalse();
        Map<String, String> context = new java.util.HashMap<>(consoleContext());
        context.put("lake.console.internet-facing", "yes");
        assertThatThrownBy(() -> fromContext(context)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lake.console.internet-facing must be true or false");
    }

    @Test
    void consoleKeysWithoutAnIssuerAreRefused() {
        Map<String, String> context = new java.util.HashMap<>(consoleContext());
        context.remove("lake.console.oidc-issuer");

        assertThatThrownBy(() -> fromContext(context)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("set without lake.console.oidc-issuer")
                .hasMessageContaining("lake.console.certificate-arn")
                .hasMessageContaining("never signs people in against the demo users");
        assertThatThrownBy(() -> fromContext(Map.of("lake.console.internet-facing", "true")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lake.console.internet-facing set without lake.console.oidc-issuer");
    }

    @Test
    void anIssuerNeedsAClientIdASecretAndACertificate() {
        for (String key : List.of("lake.console.oidc-client-id", "lake.console.oidc-secret-name", "lake.console.certificate-arn")) {
            Map<String, String> context = new java.util.HashMap<>(consoleContext());
            context.remove(key);
            assertThatThrownBy(() -> fromContext(context)).as(key).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(key + " is required when the operator console is deployed (lake.console.oidc-issuer is set)");
        }
    }

    @Test
    void theIssuerMustBeHttpsAndTheCertificateAnAcmArn() {
        Map<String, String> http = new java.util.HashMap<>(consoleContext());
        http.put("lake.console.oidc-issuer", "http://login.example.com/realms/lake");
        assertThatThrownBy(() -> fromContext(http)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lake.console.oidc-issuer must be an https:// URL");
        Map<String, String> certificate = new java.util.HashMap<>(consoleContext());
        certificate.put("lake.console.certificate-arn", "my-certificate");
        assertThatThrownBy(() -> fromContext(certificate)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lake.console.certificate-arn must be an ACM certificate ARN");
    }

    @Test
    void theNamespaceMustBeADnsName() {
        assertThatThrownBy(() -> fromContext(Map.of("lake.service-namespace", "lake")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lake.service-namespace");
        assertThatThrownBy(() -> fromContext(Map.of("lake.service-namespace", "Lake_Internal.")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(fromContext(Map.of("lake.service-namespace", "lake.prod.internal")).serviceNamespace()).isEqualTo("lake.prod.internal");
    }
}
