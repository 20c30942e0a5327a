package dev.mortgagelake.layout;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RunIdTest {

    @Test
    void aRunKnowsWhenItWasCreatedToTheMillisecond() {
        Instant created = Instant.parse("2026-01-21T12:00:00.123456Z");
        assertThat(RunId.newRun(created, "RETRY").createdAt()).isEqualTo(Instant.parse("2026-01-21T12:00:00.123Z"));
        assertThat(RunId.of("20260128T090000000Z-0b1c2d3e").createdAt()).isEqualTo(Instant.parse("2026-01-28T09:00:00Z"));
    }
}
