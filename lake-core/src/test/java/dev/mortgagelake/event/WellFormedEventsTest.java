package dev.mortgagelake.event;

import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.storage.Location;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The consumer-independent checks of incoming events, next to the events: each refusal names what is wrong. */
class WellFormedEventsTest {

    private static final String BATCH = "20260121T120000000Z-0000beef";
    private static final String RETRY = "20260121T130000000Z-0000cafe_RETRY";
    private static final Location FILE = new Location("lake-quarantine", "quarantine/x/invalid_rows.parquet");
    private static final LocalDate DAY = LocalDate.of(2026, 1, 21);
    private static final Instant AT = Instant.parse("2026-01-21T12:00:00Z");

    private static RetryDue due(String reason, String batchKind) {
        return new RetryDue(BATCH, null, DAY, FILE, 2, AT, reason, RETRY, batchKind, AT, false, null);
    }

    @Test
    void aWellFormedRetryDueNamesItsRetryRun() {
        for (String reason : RetryDue.REASONS) {
            assertThat(RetryDue.wellFormed(due(reason, RetryDue.BATCH_CONDEMNED))).isEqualTo(RunId.of(RETRY));
        }
    }

    @Test
    void anUnknownReasonOrBatchKindIsRefusedByName() {
        assertThatThrownBy(() -> RetryDue.wellFormed(due("BECAUSE", RetryDue.BATCH_QUARANTINE)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("has reason 'BECAUSE'");
        assertThatThrownBy(() -> RetryDue.wellFormed(due(RetryDue.REASON_SCHEDULED, "SOMETHING")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("has batch_kind 'SOMETHING'");
        assertThatThrownBy(() -> RetryDue.wellFormed(new RetryDue(BATCH, null, DAY, FILE, 2, AT, RetryDue.REASON_SCHEDULED,
                BATCH, RetryDue.BATCH_QUARANTINE, AT, false, null)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("must end with _RETRY");
    }

    @Test
    void aFileLandedNeedsARunIdBronzeAndIngestDate() {
        Location bronze = new Location("lake-bronze", "bronze/a.csv");
        FileLanded landed = new FileLanded(BATCH, null, "v1", FileLanded.KIND_INGEST, DAY, bronze, bronze, "00", 1, AT, List.of());
        assertThat(FileLanded.wellFormed(landed)).isEqualTo(RunId.of(BATCH));
        assertThatThrownBy(() -> FileLanded.wellFormed(null)).isInstanceOf(InvalidEventException.class)
                .hasMessage("file-landed payload is missing");
        assertThatThrownBy(() -> FileLanded.wellFormed(new FileLanded("x", null, "v1", FileLanded.KIND_INGEST, DAY, bronze, bronze,
                "00", 1, AT, List.of()))).isInstanceOf(InvalidEventException.class).hasMessageContaining("invalid run_id");
        assertThatThrownBy(() -> FileLanded.wellFormed(new FileLanded(BATCH, null, "v1", FileLanded.KIND_INGEST, null, bronze, null,
                "00", 1, AT, List.of()))).isInstanceOf(InvalidEventException.class).hasMessageContaining("lacks bronze or ingest_date");
    }
}
