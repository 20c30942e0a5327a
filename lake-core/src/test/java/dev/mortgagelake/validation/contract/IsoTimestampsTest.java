package dev.mortgagelake.validation.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class IsoTimestampsTest {

    /** The fast path may only accept what the JDK formatter accepts, with the same instant. */
    @ParameterizedTest
    @ValueSource(strings = {
            "2024-01-15T10:30:00Z", "2024-01-15T10:30:00.1Z", "2024-01-15T10:30:00.123456789Z", "2024-02-29T00:00:00Z",
            "2023-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2000-02-29T23:59:59Z", "2024-04-31T00:00:00Z",
            "2024-12-31T23:59:59-17:59", "2024-12-31T23:59:59+18:00", "2024-01-01T00:00:00-00:00", "2024-01-15T24:00:00Z",
            "2024-01-15T23:59:60Z", "2024-13-01T00:00:00Z", "2024-00-01T00:00:00Z", "2024-01-00T00:00:00Z",
            "2024-01-15T10:30:00.Z", "2024-01-15T10:30:00.1234567890Z", "2024-01-15t10:30:00z", "2024-01-15T10:30:00+0100",
            "2024-01-15T10:30:00+01", "2024-01-15T10:30Z", "0000-01-01T00:00:00Z", "1969-12-31T23:59:59.999999Z",
            "2024-01-15T10:30:00+01:00:30", "2024-01-15 10:30:00Z", "+2024-01-15T10:30:00Z", "2024-01-15T10:30:00+1:00"})
    void fastPathAgreesWithTheJdk(String text) {
        Instant jdk = jdkParse(text);
        Instant fast = IsoTimestamps.parseCommonShape(text);
        if (fast != null) {
            assertThat(fast).isEqualTo(jdk);
        }
        assertThat(IsoTimestamps.parseOffsetDateTime(text)).isEqualTo(jdk);
    }

    @Test
    void fastPathAgreesWithTheJdkOnRandomInstantsAndOffsets() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 2_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-5_000_000_000L, 8_000_000_000L), random.nextInt(1_000_000_000));
            int offsetMinutes = random.nextInt(-17 * 60, 17 * 60 + 1);
            String text = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atOffset(ZoneOffset.ofTotalSeconds(offsetMinutes * 60)));
            Instant fast = IsoTimestamps.parseCommonShape(text);
            int year = instant.atOffset(ZoneOffset.UTC).getYear();
            if (year >= 1 && year <= 9998) {
                assertThat(fast).as(text).isNotNull();
            }
            assertThat(IsoTimestamps.parseOffsetDateTime(text)).as(text).isEqualTo(jdkParse(text)).isEqualTo(instant);
        }
    }

    @Test
    void commonShapeIsHandledWithoutTheFormatter() {
        assertThat(IsoTimestamps.parseCommonShape("2024-03-31T23:30:00-01:00")).isEqualTo(Instant.parse("2024-04-01T00:30:00Z"));
        assertThat(IsoTimestamps.parseCommonShape("2024-01-15T10:30:00.5+05:30")).isEqualTo(Instant.parse("2024-01-15T05:00:00.5Z"));
    }

    @Test
    void localDateTimesAreRecognised() {
        assertThat(IsoTimestamps.isLocalDateTime("2024-01-15T10:30:00")).isTrue();
        assertThat(IsoTimestamps.isLocalDateTime("2024-01-15T10:30:00Z")).isFalse();
        assertThat(IsoTimestamps.isLocalDateTime("2024-01-15")).isFalse();
    }

    private static Instant jdkParse(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
