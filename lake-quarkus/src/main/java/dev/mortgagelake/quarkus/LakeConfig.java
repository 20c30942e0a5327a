package dev.mortgagelake.quarkus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Configuration every lake service shares: where each layer lives. */
@ConfigMapping(prefix = "lake")
public interface LakeConfig {

    /** The bucket of each layer (they may all be the same bucket). */
    Buckets buckets();

    interface Buckets {
        /** Where producers drop files; its ObjectCreated notifications feed ingest-service. */
        @WithDefault("lake-landing")
        String landing();

        /** Verbatim, immutable copies of landed files. */
        @WithDefault("lake-bronze")
        String bronze();

        /** Validated rows as Parquet, and the Silver table's snapshots and _LATEST.json. */
        @WithDefault("lake-silver")
        String silver();

        /** Business aggregations (account_balances, monthly_reports, transaction_summaries). */
        @WithDefault("lake-gold")
        String gold();

        /** Invalid rows, condemned rows, file rejections and the retry ledger. */
        @WithDefault("lake-quarantine")
        String quarantine();
    }
}
