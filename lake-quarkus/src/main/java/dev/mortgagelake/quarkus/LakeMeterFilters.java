package dev.mortgagelake.quarkus;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Arrays;

/**
 * Histograms for the lake's own meters: every {@code lake.*} timer is exported with fixed buckets
 * ({@code _bucket{le=..}} series, so Prometheus can compute percentiles across instances with
 * {@code histogram_quantile}), and every {@code lake.*.percent} distribution summary with percent buckets.
 * Fixed buckets keep the series count small (16 per timer) compared with Micrometer's default
 * percentile histogram.
 */
@ApplicationScoped
public class LakeMeterFilters {

    @Produces
    @Singleton
    MeterFilter lakeHistograms() {
        double[] durationNanos = Arrays.stream(LakeMetrics.DURATION_BUCKETS_SECONDS)
                .map(s -> (double) Duration.ofMillis(Math.round(s * 1000)).toNanos())
                .toArray();
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().startsWith("lake.")) {
                    return config;
                }
                if (id.getType() == Meter.Type.TIMER) {
                    return DistributionStatisticConfig.builder().serviceLevelObjectives(durationNanos).build().merge(config);
                }
                if (id.getType() == Meter.Type.DISTRIBUTION_SUMMARY && id.getName().endsWith(".percent")) {
                    return DistributionStatisticConfig.builder().serviceLevelObjectives(LakeMetrics.PERCENT_BUCKETS).build().merge(config);
                }
                return config;
            }
        };
    }
}
