package dev.mortgagelake.quarkus.operator;

import dev.mortgagelake.refusal.RefusalException;
import dev.mortgagelake.storage.StorageException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.Optional;

/**
 * The one exception mapper of the operator APIs (ingest, publish, retry): what the domain raises
 * becomes a {@link Problem} with its status, decided here and nowhere else.
 *
 * <pre>
 * exception                               status  error
 * RefusalException (lake-core) NOT_FOUND  404     the refusal's code (NOT_FOUND, ...)
 *                              CONFLICT   409     CONFLICT, COMMIT_FAILED, ...
 *                              INVALID    400     INVALID, ...
 *                              FORBIDDEN  403     FOUR_EYES
 *                              UNPROCESSABLE 422  REFUSED (with the failed checks)
 * StorageException                        503     STORAGE_UNAVAILABLE (try again; nothing was half-done)
 * IllegalArgumentException                400     BAD_REQUEST
 * WebApplicationException without body    its own BAD_REQUEST, NOT_FOUND, ... by status
 * </pre>
 * Each refusal names its own kind, code and title (see the subclasses of {@link RefusalException}), so
 * a new refusal needs no new mapper. Anything else is a bug and stays a 500 from the framework, logged
 * with its stack trace.
 */
public final class OperatorProblems {

    /** The problem for {@code failure}, if it is one of the kinds above. */
    public static Optional<Problem> of(Throwable failure) {
        if (failure instanceof RefusalException e) {
            return Optional.of(Problem.of(status(e.refusalKind()), e.code(), e.title(), e.getMessage(), e.failures()));
        }
        if (failure instanceof StorageException e) {
            return Optional.of(Problem.of(503, "STORAGE_UNAVAILABLE", "The lake's storage did not answer; try again", e.getMessage(),
                    List.of()));
        }
        if (failure instanceof IllegalArgumentException e) {
            return Optional.of(Problem.of(400, "BAD_REQUEST", "The request is invalid", e.getMessage(), List.of()));
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

    static int status(RefusalException.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INVALID -> 400;
            case FORBIDDEN -> 403;
            case UNPROCESSABLE -> 422;
        };
    }

    /** The response for {@code problem}: its status, {@code application/problem+json}. */
    public static Response response(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    @ServerExceptionMapper
    public Response refusal(RefusalException e) {
        return map(e);
    }

    @ServerExceptionMapper
    public Response storage(StorageException e) {
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
