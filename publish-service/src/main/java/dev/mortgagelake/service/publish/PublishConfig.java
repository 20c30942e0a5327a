package dev.mortgagelake.service.publish;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.math.BigDecimal;
import java.time.Duration;

/** publish-service configuration. */
@ConfigMapping(prefix = "lake.publish")
public interface PublishConfig {

    /** The Silver schema version this publisher promotes into. */
    @WithDefault("v1")
    String schemaVersion();

    /** How often the freshness and held-runs gauges re-read {@code _LATEST.json} and the held records ({@link TableState}). */
    State state();

    interface State {
        /** Interval between reads (also read after every promotion). */
        @WithDefault("60s")
        Duration every();
    }

    /** How a snapshot commit retries lost races. */
    Commit commit();

    /** The audit gate: quality reasons to hold a run for an operator's decision. */
    Audit audit();

    /** The scheduled repair of current/ and _LATEST.json. */
    Reconcile reconcile();

    /** Gold, refreshed after every Silver version. */
    Gold gold();

    /** The Iceberg tables that follow Silver and each Gold dataset, one snapshot per version. */
    Iceberg iceberg();

    interface Iceberg {
        /**
         * The catalog of the Iceberg tables: {@code jdbc} (Iceberg's JdbcCatalog; the default is an
         * SQLite file, no server), {@code glue} (AWS Glue Data Catalog, for Athena), or {@code none}
         * (no Iceberg tables: only the lake's own log, {@code current/} and {@code _LATEST.json}).
         */
        @WithDefault("jdbc")
        String catalog();

        /** JDBC URL of the {@code jdbc} catalog. */
        @WithDefault("jdbc:sqlite:${java.io.tmpdir}/mortgagelake-iceberg-catalog.db")
        String uri();

        /** The catalog's warehouse; the lake's tables are created with explicit locations beside their version logs. */
        @WithDefault("s3://${lake.buckets.silver}/_iceberg-warehouse")
        String warehouse();

        /** The namespace (Glue database) of the tables. */
        @WithDefault("mortgage_lake")
        String namespace();

        /**
         * Fault injection for crash tests, never set in production: the process halts (as a SIGKILL
         * would: no shutdown hooks, nothing flushed) at the first Silver Iceberg commit, either
         * {@code before-commit} (the lake's version is committed, its Iceberg snapshot is not) or
         * {@code after-commit} (the Iceberg snapshot is committed, {@code _LATEST.json} has not moved).
         * See {@link CrashingCatalogTables}.
         */
        java.util.Optional<String> crashAt();
    }

    interface Gold {
        /** Local directory for Gold's Silver downloads and Parquet staging (each publish uses and removes its own sub-directory). */
        @WithDefault("${java.io.tmpdir}/mortgagelake-gold")
        String workDir();
    }

    interface Audit {
        /** Hold a run whose quarantined / rows_read exceeds this (the seed's alarm); 1 disables. */
        @WithDefault("0.05")
        BigDecimal maxQuarantineRate();

        /** Hold a run whose Silver rows are outside [median / factor, median * factor] of recent runs; 0 disables. */
        @WithDefault("4")
        int rowCountFactor();

        /** How many recent promoted runs of the same source make the median. */
        @WithDefault("10")
        int rowCountHistory();

        /** The row-count check applies only with at least this many recent runs. */
        @WithDefault("3")
        int rowCountMinHistory();

        /** Hold a run whose file had unknown or missing columns. */
        @WithDefault("true")
        boolean holdOnDrift();
    }

    interface Reconcile {
        /** How often the reconciler makes current/ and _LATEST.json follow the version log ("off" disables). */
        @WithDefault("60s")
        String every();
    }

    interface Commit {
        /** Attempts before a commit gives up (set above the number of concurrent publishers). */
        @WithDefault("32")
        int maxAttempts();

        /** First backoff after a lost race (doubles, with jitter). */
        @WithDefault("10ms")
        Duration minBackoff();

        /** Longest backoff between attempts. */
        @WithDefault("1s")
        Duration maxBackoff();

        /** Read-backs to resolve an unknown commit outcome before reporting it unknown. */
        @WithDefault("3")
        int statusChecks();
    }
}
