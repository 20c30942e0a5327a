package dev.mortgagelake.validation.silver;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SilverPartitionTest {

    private static final YearMonth EPOCH_MONTH = YearMonth.of(1970, 1);

    @Test
    void theMonthOfEveryDayFrom1900To2300IsTheCalendarMonth() {
        for (LocalDate day = LocalDate.of(1900, 1, 1); day.isBefore(LocalDate.of(2300, 1, 1)); day = day.plusDays(1)) {
            long expected = ChronoUnit.MONTHS.between(EPOCH_MONTH, YearMonth.from(day));
            assertThat(SilverStagingWriter.monthsSince1970(day.toEpochDay())).as("%s", day).isEqualTo(expected);
        }
    }
}
