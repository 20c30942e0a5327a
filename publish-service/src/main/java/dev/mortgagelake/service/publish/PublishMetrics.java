package dev.mortgagelake.service.publish;

/** The names and tags of publish-service's metrics (catalogue: docs/OPERATIONS.md). */
final class PublishMetrics {

    /** Counter: promotion decisions, by {@code decision} (promoted, already_promoted, held, file_rejected). */
    static final String PROMOTIONS = "lake.promotions";
    /** Timer (histogram): one promotion (checks, snapshot commit, _LATEST.json), by {@code decision}. */
    static final String PROMOTION_DURATION = "lake.promotion.duration";
    /** Timer (histogram): a run from its creation at ingest to its promotion, by {@code dataset}. */
    static final String RUN_DURATION = "lake.run.duration";
    /** Gauge (seconds): age of the table's {@code _LATEST.json} ({@code published_at}), by {@code layer} and {@code dataset}. */
    static final String TABLE_PUBLISHED_AGE = "lake.table.published.age";
    /** Gauge: runs held by the promotion checks and waiting for an operator, by {@code layer} and {@code dataset}. */
    static final String RUNS_HELD = "lake.runs.held";
    /** Counter: refreshes of the freshness and held gauges that failed. */
    static final String TABLE_STATE_FAILURES = "lake.table.state.failures";

    static final String TAG_DECISION = "decision";
    static final String TAG_LAYER = "layer";

    private PublishMetrics() {
    }
}
