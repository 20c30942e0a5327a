package dev.mortgagelake.quarkus.operator;

import dev.mortgagelake.ingest.backfill.BackfillRejectedException;
import dev.mortgagelake.publish.OperatorRequestException;
import dev.mortgagelake.publish.table.CommitFailedException;
import dev.mortgagelake.retry.LedgerConflictException;
import dev.mortgagelake.retry.approval.FourEyesViolationException;
import dev.mortgagelake.retry.approval.RequestRefusedException;
import dev.mortgagelake.storage.StorageException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.Optional;

/**
 * The one exception mapper of the operator APIs (ingest, publish, retry): every refusal the domain
 * raises becomes a {@link Problem} with its status, decided here and nowhere else.
 *
 * <pre>
 * exception                               status  error
 * StorageException                        503     STORAGE_UNAVAILABLE (try again; nothing was half-done)
 * CommitFailedException                   409     COMMIT_FAILED       (lost every race for a table version)
 * OperatorRequestException NOT_FOUND      404     NOT_FOUND
 *                          CONFLICT       409     CONFLICT            (decided already, or the table moved)
 *                          REFUSED        422     REFUSED             (with the failed checks)
 * BackfillRejectedException INVALID       400     INVALID
 *                           CONFLICT      409     CONFLICT
 * RequestRefusedException (not found)     404     NOT_FOUND
 *                         (otherwise)     409     CONFLICT
 * LedgerConflictException                 409     CONFLICT            (the ledger moved meanwhile)
 * FourEyesViolationException              403     FOUR_EYES
 * IllegalArgumentException                400     BAD_REQUEST
 * WebApplicationException without body    its own BAD_REQUEST, NOT_FOUND, ... by status
 * </pre>
 * Anything else is a bug and stays a 500 from the framework, logged with its stack trace.
 */
public final class OperatorProblems {

    /** The problem for {@code failure}, if it is one of the refusals above. */
    public static Optional<Problem> of(Throwable failure) {
        if (failure instanceof StorageException e) {
            return Optional.of(problem(503, "STORAGE_UNAVAILABLE", "The lake's storage did not answer; try again", e));
        }
        if (failure instanceof CommitFailedException e) {
            return Optional.of(problem(409, "COMMIT_FAILED", "The table version could not be committed", e));
        }
        if (failure instanceof OperatorRequestException e) {
            return Optional.of(switch (e.kind()) {
                case NOT_FOUND -> problem(404, "NOT_FOUND", "No such resource", e);
                case CONFLICT -> problem(409, "CONFLICT", "The request conflicts with the current state", e);
                case REFUSED -> Problem.of(422, "REFUSED", "The run fails its promotion checks", e.getMessage(), e.failures());
            });
        }
        if (failure instanceof BackfillRejectedException e) {
            return Optional.of(e.kind() == BackfillRejectedException.Kind.CONFLICT
                    ? problem(409, "CONFLICT", "The request conflicts with an earlier one", e)
                    : problem(400, "INVALID", "The backfill request is invalid", e));
        }
        if (failure instanceof RequestRefusedException e) {
            return Optional.of(e.notFound()
                    ? problem(404, "NOT_FOUND", "No such resource", e)
                    : problem(409, "CONFLICT", "The request conflicts with the current state", e));
        }
        if (failure instanceof LedgerConflictException e) {
            return Optional.of(problem(409, "CONFLICT", "The ledger changed meanwhile; read it again", e));
        }
        if (failure instanceof FourEyesViolationException e) {
            return Optional.of(problem(403, "FOUR_EYES", "A request is decided by someone other than its requester", e));
        }
        if (failure instanceof IllegalArgumentException e) {
            return Optional.of(problem(400, "BAD_REQUEST", "The request is invalid", e));
        }
        if (failure instanceof WebApplicationException e && !e.getResponse().hasEntity()) {
            int status = e.getResponse().getStatus();
            Response.Status known = Response.Status.fromStatusCode(status);
            String reason = known == null ? "HTTP " + status : known.getReasonPhrase();
            String code = known == null ? "HTTP_" + status : known.name();
            return Optional.of(Problem.of(status, code, reason, e.getMessage(), List.of()));
        }
        return Optional.empty();
    }

    private static Problem problem(int status, String code, String title, Throwable e) {
        return Problem.of(status, code, title, e.getMessage(), List.of());
    }

    /** The response for {@code problem}: its status, {@code application/problem+json}. */
    public static Response response(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    // One mapper method per exception type: Quarkus REST picks the most specific one.

    @ServerExceptionMapper
    public Response storage(StorageException e) {
        return map(e);
    }

    @ServerExceptionMapper
    public Response commit(CommitFailedException e) {
        return map(e);
    }

    @ServerExceptionMapper
    public Response operatorRequest(OperatorRequestException e) {
        return map(e);
    }

    @ServerExceptionMapper
    public Response backfill(BackfillRejectedException e) {
        return map(e);
    }

    @ServerExceptionMapper
    public Response request(RequestRefusedException e) {
        return map(e);
    }

    @ServerExceptionMapper
    public Response ledger(LedgerConflictException e) {
        return map(e);
    }

    @ServerExceptionMapper
    public Response fourEyes(FourEyesViolationException e) {
        return map(e);
    }

    @ServerExceptionMapper
    public Response badArgument(IllegalArgumentException e) {
        return map(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        // keeps the framework's headers (e.g. Allow on a 405), adds the problem document
        return of(e).map(problem -> Response.fromResponse(e.getResponse()).type(Problem.MEDIA_TYPE).entity(problem).build())
                .orElseGet(e::getResponse);
    }

    private static Response map(RuntimeException e) {
        return response(of(e).orElseThrow(() -> e));
    }
}
