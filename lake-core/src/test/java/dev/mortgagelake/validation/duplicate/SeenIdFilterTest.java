package dev.mortgagelake.validation.duplicate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeenIdFilterTest {

    @Test
    void anIdAddedIsAlwaysReportedAsMaybeSeenAndFewNewIdsAreReportedSo() {
        SeenIdFilter filter = SeenIdFilter.forExpectedIds(200_000, SeenIdFilter.MAX_BYTES);
        for (int i = 0; i < 200_000; i++) {
            String id = "TX" + i;
            filter.add(RowKeys.idHash1(id), RowKeys.idHash2(id));
        }
        for (int i = 0; i < 200_000; i++) {
            String id = "TX" + i;
            assertThat(filter.addAndCheck(RowKeys.idHash1(id), RowKeys.idHash2(id))).as("second sight of %s", id).isTrue();
        }
        int falsePositives = 0;
        for (int i = 200_000; i < 400_000; i++) {
            String id = "TX" + i;
            if (filter.addAndCheck(RowKeys.idHash1(id), RowKeys.idHash2(id))) {
                falsePositives++;
            }
        }
        // 12 bits per expected id, 6 bits set per id in one 512-bit block: well under 2% at the expected load
        // (the second 200,000 ids raise the load as they are added, so this bound is loose).
        assertThat(falsePositives).isLessThan(200_000 * 5 / 100);
    }

    @Test
    void theSizeFollowsTheExpectedIdsWithinTheLimits() {
        assertThat(SeenIdFilter.forExpectedIds(10, SeenIdFilter.MAX_BYTES).sizeBytes()).isEqualTo(64 * 1024);
        assertThat(SeenIdFilter.forExpectedIds(1_000_000, SeenIdFilter.MAX_BYTES).sizeBytes()).isEqualTo(2 * 1024 * 1024);
        assertThat(SeenIdFilter.forExpectedIds(1_000_000_000L, SeenIdFilter.MAX_BYTES).sizeBytes()).isEqualTo(SeenIdFilter.MAX_BYTES);
        assertThat(SeenIdFilter.forExpectedIds(1_000_000, 100_000).sizeBytes()).isEqualTo(65_536);
        assertThatThrownBy(() -> SeenIdFilter.forExpectedIds(1, 32)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aOneBlockFilterSaturatesAndThenSaysMaybeToEverything() {
        SeenIdFilter filter = SeenIdFilter.forExpectedIds(1_000_000, SeenIdFilter.MIN_BYTES);
        for (int i = 0; i < 1_000; i++) {
            filter.add(i * 31L, i * 17L + 3);
        }
        assertThat(filter.addAndCheck(RowKeys.idHash1("new"), RowKeys.idHash2("new"))).isTrue();
    }
}
