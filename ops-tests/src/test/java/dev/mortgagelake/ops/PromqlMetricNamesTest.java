package dev.mortgagelake.ops;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PromqlMetricNamesTest {

    @Test
    void findsTheMetricsAndNothingElse() {
        assertThat(PromqlMetricNames.of("""
                (sum by (dataset) (increase(lake_run_quarantine_percent_sum{job="x", le=~"a|b"}[1h]))
                 / on (dataset) group_left (code) sum without (instance) (rate(other_total[5m] offset 1h))) > 0.05
                 and up{job=~".+-service"} == 0 or max(lake_x_seconds) > 26 * 3600 unless vector(1e3)"""))
                .containsExactly("lake_run_quarantine_percent_sum", "lake_x_seconds", "other_total", "up");
    }

    @Test
    void histogramQuantileReadsTheBucketSeries() {
        assertThat(PromqlMetricNames.of("histogram_quantile(0.95, sum by (le) (rate(lake_validation_duration_seconds_bucket[1h])))"))
                .containsExactly("lake_validation_duration_seconds_bucket");
    }
}
