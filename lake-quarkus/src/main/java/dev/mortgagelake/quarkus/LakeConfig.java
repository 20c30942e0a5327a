package dev.mortgagelake.quarkus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Configuration every lake service shares: where each layer lives. */
@ConfigMapping(prefix = "lake")
public interface LakeConfig {

    /** The bucket of each layer (they may all be the same bucket). */
    Buckets buckets();

    /** What the service reports about its surroundings at {@code /q/metrics}. */
    Metrics metrics();

    /** How messages are consumed ({@link MessageConsumption}). */
    Messaging messaging();

    interface Messaging {
        /**
         * How long a message whose work failed because S3 or SQS is unreachable is held (its visibility
         * extended) while the service waits for them to answer again, before it is given back to SQS.
         */
        @WithDefault("15m")
        Duration outageHold();
    }

    interface Metrics {

        /** Queue depth gauges ({@link QueueDepthMetrics}). */
        Queues queues();

        interface Queues {
            /** Poll SQS GetQueueAttributes for the service's own queues and their dead-letter queues. */
            @WithDefault("true")
            boolean enabled();

            /** How often the queue attributes are read (one GetQueueAttributes call per queue). */
            @WithDefault("30s")
            Duration every();

            /**
             * Queues to report besides the service's incoming channel queues (their {@code -dlq} is
             * reported too), e.g. a queue the service feeds and no one consumes yet.
             */
            Optional<List<String>> extra();
        }
    }

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
