package dev.mortgagelake.quarkus.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortgagelake.ingest.backfill.BackfillRejectedException;
import dev.mortgagelake.publish.OperatorRequestException;
import dev.mortgagelake.publish.check.CheckCode;
import dev.mortgagelake.publish.check.CheckFailure;
import dev.mortgagelake.publish.table.CommitFailedException;
import dev.mortgagelake.retry.LedgerConflictException;
import dev.mortgagelake.retry.approval.FourEyesViolationException;
import dev.mortgagelake.retry.approval.RequestRefusedException;
import dev.mortgagelake.storage.StorageException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class OperatorProblemsTest {

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(new StorageException("S3 timed out", true), 503, "STORAGE_UNAVAILABLE"),
                Arguments.of(new CommitFailedException("lost 32 races", null), 409, "COMMIT_FAILED"),
                Arguments.of(new OperatorRequestException(OperatorRequestException.Kind.NOT_FOUND, "no held run R"), 404, "NOT_FOUND"),
                Arguments.of(new OperatorRequestException(OperatorRequestException.Kind.CONFLICT, "decided already"), 409, "CONFLICT"),
                Arguments.of(new OperatorRequestException(OperatorRequestException.Kind.REFUSED, "checks fail"), 422, "REFUSED"),
                Arguments.of(new BackfillRejectedException(BackfillRejectedException.Kind.INVALID, "from after to"), 400, "INVALID"),
                Arguments.of(new BackfillRejectedException(BackfillRejectedException.Kind.CONFLICT, "same id, other range"), 409, "CONFLICT"),
                Arguments.of(new RequestRefusedException("no batch", true), 404, "NOT_FOUND"),
                Arguments.of(new RequestRefusedException("batch condemned", false), 409, "CONFLICT"),
                Arguments.of(new LedgerConflictException("step 4 exists"), 409, "CONFLICT"),
                Arguments.of(new FourEyesViolationException("the requester cannot approve"), 403, "FOUR_EYES"),
                Arguments.of(new IllegalArgumentException("reason is required"), 400, "BAD_REQUEST"),
                Arguments.of(new NotFoundException("No backfill request b-1"), 404, "NOT_FOUND"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("refusals")
    void everyRefusalIsOneProblemWithItsStatusCodeAndTheExceptionsMessage(RuntimeException refusal, int status, String code) {
        Problem problem = OperatorProblems.of(refusal).orElseThrow();

        assertThat(problem.status()).isEqualTo(status);
        assertThat(problem.error()).isEqualTo(code);
        assertThat(problem.type().toString()).isEqualTo("urn:mortgage-lake:problem:" + code.toLowerCase().replace('_', '-'));
        assertThat(problem.detail()).isEqualTo(refusal.getMessage()).isEqualTo(problem.message());
        assertThat(problem.title()).isNotBlank().isNotEqualTo(problem.detail());
        Response response = OperatorProblems.response(problem);
        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getMediaType().toString()).isEqualTo("application/problem+json");
    }

    @Test
    void aRefusedRunCarriesItsFailedChecksAndTheJsonHasTheRfc9457Members() throws Exception {
        CheckFailure failure = new CheckFailure(CheckCode.values()[0], "part-00000.parquet: sha256 differs");
        Problem problem = OperatorProblems.of(new OperatorRequestException(OperatorRequestException.Kind.REFUSED, "run R fails its checks",
                List.of(failure))).orElseThrow();

        JsonNode json = new ObjectMapper().findAndRegisterModules().valueToTree(problem);
        assertThat(json.get("type").asText()).isEqualTo("urn:mortgage-lake:problem:refused");
        assertThat(json.get("status").asInt()).isEqualTo(422);
        assertThat(json.get("detail").asText()).isEqualTo("run R fails its checks");
        assertThat(json.get("failures")).hasSize(1);
        assertThat(json.get("failures").get(0).get("message").asText()).isEqualTo("part-00000.parquet: sha256 differs");
        JsonNode plain = new ObjectMapper().valueToTree(OperatorProblems.of(new LedgerConflictException("moved")).orElseThrow());
        assertThat(plain.has("failures")).as("no empty failures member").isFalse();
    }

    @Test
    void aBugIsNotAProblemDocument() {
        assertThat(OperatorProblems.of(new NullPointerException("bug"))).isEmpty();
        assertThat(OperatorProblems.of(new IllegalStateException("bug"))).isEmpty();
    }
}
