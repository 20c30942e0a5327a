package dev.mortgagelake.service.publish;

import dev.mortgagelake.gold.GoldPublisher;
import dev.mortgagelake.iceberg.IcebergCatalogProperties;
import dev.mortgagelake.iceberg.IcebergCatalogTables;
import dev.mortgagelake.publish.table.CatalogTables;
import dev.mortgagelake.gold.GoldRefresh;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.publish.RunPromotion;
import dev.mortgagelake.publish.audit.AuditPolicy;
import dev.mortgagelake.publish.table.CommitPolicy;
import dev.mortgagelake.quarkus.ChannelEventSink;
import dev.mortgagelake.storage.ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.nio.file.Path;
import java.time.Clock;

/** The publish domain wired to the lake's object store, configuration and outgoing channel. */
@ApplicationScoped
public class PublishBeans {

    @Produces
    @Singleton
    RunPromotion runPromotion(ObjectStore store, LakeLayout layout, PublishConfig config, GoldRefresh gold, CatalogTables iceberg,
                              Clock clock) {
        PublishConfig.Audit audit = config.audit();
        return new RunPromotion(store, layout, config.schemaVersion(), commitPolicy(config),
                new AuditPolicy(audit.maxQuarantineRate(), audit.rowCountFactor(), audit.rowCountHistory(), audit.rowCountMinHistory(),
                        audit.holdOnDrift()),
                gold, iceberg, clock);
    }

    /**
     * The Iceberg tables that follow Silver and Gold ({@link CatalogTables#NONE} when
     * {@code lake.publish.iceberg.catalog=none}). Their S3FileIO uses the same endpoint, region and
     * credentials as the lake's S3 client ({@code quarkus.s3.*}).
     */
    @Produces
    @Singleton
    CatalogTables icebergTables(PublishConfig config, LakeLayout layout) {
        PublishConfig.Iceberg iceberg = config.iceberg();
        Map<String, String> properties;
        switch (iceberg.catalog()) {
            case "none" -> {
                return CatalogTables.NONE;
            }
            case "jdbc" -> properties = IcebergCatalogProperties.jdbc(iceberg.uri(), iceberg.warehouse());
            case "glue" -> properties = IcebergCatalogProperties.glue(iceberg.warehouse());
            default -> throw new IllegalArgumentException("lake.publish.iceberg.catalog is '" + iceberg.catalog()
                    + "'; it must be jdbc, glue or none");
        }
        properties.putAll(s3FileIo());
        IcebergCatalogTables tables = IcebergCatalogTables.open(IcebergCatalogProperties.LOCAL_CATALOG, properties, layout,
                iceberg.namespace());
        return iceberg.crashAt().<CatalogTables>map(step -> new CrashingCatalogTables(tables, step)).orElse(tables);
    }

    void closeIcebergTables(@Disposes CatalogTables tables) throws IOException {
        if (tables instanceof CrashingCatalogTables crashing) {
            tables = crashing.delegate();
        }
        if (tables instanceof IcebergCatalogTables iceberg) {
            iceberg.close();
        }
    }

    /** S3FileIO settings that mirror the lake's S3 client configuration. */
    private static Map<String, String> s3FileIo() {
        Config config = ConfigProvider.getConfig();
        Map<String, String> properties = new LinkedHashMap<>();
        config.getOptionalValue("quarkus.s3.endpoint-override", String.class).ifPresent(endpoint -> {
            properties.put("s3.endpoint", endpoint);
        });
        config.getOptionalValue("quarkus.s3.path-style-access", Boolean.class)
                .ifPresent(pathStyle -> properties.put("s3.path-style-access", pathStyle.toString()));
        config.getOptionalValue("quarkus.s3.aws.region", String.class).ifPresent(region -> properties.put("client.region", region));
        if ("static".equals(config.getOptionalValue("quarkus.s3.aws.credentials.type", String.class).orElse(""))) {
            config.getOptionalValue("quarkus.s3.aws.credentials.static-provider.access-key-id", String.class)
                    .ifPresent(key -> properties.put("s3.access-key-id", key));
            config.getOptionalValue("quarkus.s3.aws.credentials.static-provider.secret-access-key", String.class)
                    .ifPresent(secret -> properties.put("s3.secret-access-key", secret));
        }
        return properties;
    }

    /**
     * Gold after every Silver version: publish, then each Gold table's current/ and _LATEST.json.
     * Counted as {@code lake.gold.refresh{outcome}} (published, up_to_date, superseded, failed) and
     * {@code lake.gold.refresh.failures{step}} (publish, or the dataset whose current/ failed).
     */
    @Produces
    @Singleton
    GoldRefresh goldRefresh(ObjectStore store, LakeLayout layout, PublishConfig config, CatalogTables iceberg, Clock clock,
                            MeterRegistry metrics) {
        GoldPublisher publisher = new GoldPublisher(store, layout, commitPolicy(config), clock, Path.of(config.gold().workDir()));
        return new GoldRefresh(store, layout, publisher, iceberg, refresh -> {
            String outcome = refresh.failed() ? "failed" : refresh.status().name().toLowerCase(java.util.Locale.ROOT);
            metrics.counter("lake.gold.refresh", "outcome", outcome).increment();
            refresh.failures().keySet().forEach(step -> metrics.counter("lake.gold.refresh.failures", "step", step).increment());
        });
    }

    private static CommitPolicy commitPolicy(PublishConfig config) {
        PublishConfig.Commit commit = config.commit();
        return new CommitPolicy(commit.maxAttempts(), commit.minBackoff(), commit.maxBackoff(), commit.statusChecks());
    }

    @Produces
    @Singleton
    ChannelEventSink runPromotedSink(@Channel(PublishChannels.RUN_PROMOTED) MutinyEmitter<String> runPromoted) {
        return ChannelEventSink.to(runPromoted);
    }
}
