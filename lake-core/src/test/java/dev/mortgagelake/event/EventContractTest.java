package dev.mortgagelake.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortgagelake.storage.Location;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventContractTest {

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyFixtureDecodesAndEncodesBackToTheSameJson(EventType type) throws Exception {
        String fixture = EventFixtures.fixture(type);
        LakeEvent<Object> event = EventCodec.decode(fixture, type);

        assertThat(event.type()).isEqualTo(type.cloudEventType());
        assertThat(event.data()).isInstanceOf(type.dataClass());

        JsonNode expected = EventCodec.mapper().readTree(fixture);
        JsonNode actual = EventCodec.mapper().readTree(EventCodec.encode(event));
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void fileLandedFixtureCarriesTheBronzeCopyAndChecksum() {
        LakeEvent<FileLanded> event = EventFixtures.decoded(EventType.FILE_LANDED);
        FileLanded landed = event.data();

        assertThat(landed.runId()).isEqualTo(event.subject());
        assertThat(landed.ingestDate()).isEqualTo(LocalDate.of(2026, 1, 21));
        assertThat(landed.source()).isEqualTo(new Location("lake-landing", "incoming/transactions 2026-01-21.csv.gz"));
        assertThat(landed.bronze().key()).startsWith("bronze/mortgages/transactions/ingest_date=2026-01-21/run_id=" + landed.runId() + "/");
        assertThat(landed.sha256()).hasSize(64);
        assertThat(landed.landedAt()).isEqualTo(Instant.parse("2026-01-21T12:00:00.123Z"));
    }

    @Test
    void runValidatedFixtureIsBalanced() {
        RunValidated validated = EventFixtures.<RunValidated>decoded(EventType.RUN_VALIDATED).data();

        assertThat(validated.counts().balanced()).isTrue();
        assertThat(validated.partitions()).extracting(RunValidated.Partition::rows).containsExactly(40L, 56L);
        assertThat(validated.quarantine().errorCounts()).containsEntry("CURRENCY_NOT_ALLOWED", 2L);
    }

    @Test
    void theOutcomeIsAnEnumWithTheWireStringsItAlwaysHad() throws Exception {
        String fixture = EventFixtures.fixture(EventType.RUN_VALIDATED);
        LakeEvent<RunValidated> validated = EventCodec.decode(fixture, EventType.RUN_VALIDATED);
        String rejectedJson = fixture.replace("\"outcome\": \"VALIDATED\"", "\"outcome\": \"FILE_REJECTED\"");
        LakeEvent<RunValidated> rejected = EventCodec.decode(rejectedJson, EventType.RUN_VALIDATED);

        assertThat(validated.data().outcome()).isEqualTo(RunValidated.Outcome.VALIDATED).isEqualTo(RunValidated.OUTCOME_VALIDATED);
        assertThat(rejected.data().outcome()).isEqualTo(RunValidated.Outcome.FILE_REJECTED);
        assertThat(EventCodec.mapper().readTree(EventCodec.encode(rejected)).path("data").path("outcome").asText()).isEqualTo("FILE_REJECTED");
        assertThat(EventCodec.mapper().readTree(EventCodec.encode(validated))).isEqualTo(EventCodec.mapper().readTree(fixture));
        // a new outcome would be a breaking change (a .v2 type), not an additive field: refused, not misread
        assertThatThrownBy(() -> EventCodec.decode(fixture.replace("\"outcome\": \"VALIDATED\"", "\"outcome\": \"HALF_DONE\""),
                EventType.RUN_VALIDATED)).isInstanceOf(InvalidEventException.class).hasMessageContaining("HALF_DONE");
    }

    @Test
    void unknownFieldsAreIgnoredSoAdditiveChangesDoNotBreakConsumers() {
        String withExtra = EventFixtures.fixture(EventType.RETRY_DUE)
                .replace("\"reason\": \"SCHEDULED\"", "\"reason\": \"SCHEDULED\", \"requested_by\": \"someone\"");

        RetryDue due = EventCodec.<RetryDue>decode(withExtra, EventType.RETRY_DUE).data();

        assertThat(due.attempt()).isEqualTo(2);
        assertThat(due.reason()).isEqualTo("SCHEDULED");
    }

    @Test
    void aMessageOfAnotherTypeIsRejectedWithTheTypeNamed() {
        String fileLanded = EventFixtures.fixture(EventType.FILE_LANDED);

        assertThatThrownBy(() -> EventCodec.decode(fileLanded, EventType.RUN_VALIDATED))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("dev.mortgagelake.run-validated.v1")
                .hasMessageContaining("dev.mortgagelake.file-landed.v1");
    }

    @Test
    void notJsonAndNotCloudEventsAreRejected() {
        assertThatThrownBy(() -> EventCodec.decode("{oops", EventType.FILE_LANDED))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> EventCodec.decode("{\"Records\": []}", EventType.FILE_LANDED))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("CloudEvents");
    }

    @Test
    void aMissingRequiredNumberIsAnErrorNotAZero() {
        String broken = EventFixtures.fixture(EventType.RETRY_DUE).replace("\"attempt\": 2,", "");

        assertThatThrownBy(() -> EventCodec.decode(broken, EventType.RETRY_DUE))
                .isInstanceOf(InvalidEventException.class);
    }

    @Test
    void anEventCarriesTheDataClassOfItsType() {
        assertThatThrownBy(() -> LakeEvent.of(EventType.RUN_PROMOTED, "id", "/src", Instant.EPOCH, "s",
                new RetryDue("r", "d", LocalDate.EPOCH, new Location("b", "k"), 2, Instant.EPOCH, "SCHEDULED", "x", "QUARANTINE", Instant.EPOCH, false, null)))
                .isInstanceOf(IllegalArgumentException.class);
        LakeEvent<RunPromoted> ok = LakeEvent.of(EventType.RUN_PROMOTED, "id", "/src", Instant.EPOCH, "s",
                new RunPromoted("r", "d", "v1", "t/", 1, List.of(), 0, new Location("b", "k"), Instant.EPOCH));
        assertThat(ok.specversion()).isEqualTo("1.0");
    }

    @Test
    void runPromotedWithoutGoldFromAnOlderPublisherStillDecodes() {
        String withoutGold = EventFixtures.fixture(EventType.RUN_PROMOTED)
                .replaceAll(",\\s*\"gold\": \\{[^}]*}", "");
        assertThat(withoutGold).doesNotContain("\"gold\"");

        RunPromoted promoted = EventCodec.<RunPromoted>decode(withoutGold, EventType.RUN_PROMOTED).data();
        RunPromoted withGold = EventCodec.<RunPromoted>decode(EventFixtures.fixture(EventType.RUN_PROMOTED), EventType.RUN_PROMOTED).data();

        assertThat(promoted.gold()).isEmpty();
        assertThat(withGold.gold()).containsEntry("account_balances", 3L).hasSize(3);
    }
}
