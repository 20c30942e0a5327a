package dev.mortgagelake.service.ingest.operator;

import dev.mortgagelake.ingest.backfill.Backfill;
import dev.mortgagelake.ingest.backfill.BackfillRecord;
import dev.mortgagelake.ingest.backfill.BackfillRequest;
import dev.mortgagelake.operator.Actor;
import dev.mortgagelake.quarkus.ChannelEventSink;
import dev.mortgagelake.quarkus.operator.CurrentActor;
import dev.mortgagelake.security.OperatorRoles;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.time.LocalDate;
import java.util.List;

/**
 * The operator API of ingest-service: backfills. A {@code platform-operator} asks to reprocess
 * the Bronze files of an ingest-date range with a reason; every operator role may read the requests.
 * The request is recorded in the lake with who asked, their roles and why ({@link Backfill}); the
 * answer is 202 because the new runs are then validated and promoted asynchronously.
 */
@Path("/operator/backfills")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "operator", description = "Ingest authority: backfills of Bronze")
@SecurityRequirement(name = "basicAuth")
@SecurityRequirement(name = "bearerAuth")
public class BackfillResource {

    private static final Logger LOG = Logger.getLogger(BackfillResource.class);

    @Inject
    Backfill backfill;

    @Inject
    ChannelEventSink fileLanded;

    @Inject
    CurrentActor currentActor;

    @Inject
    MeterRegistry metrics;

    /**
     * A backfill request: the dataset ({@code mortgages/transactions}), the inclusive ingest-date
     * range, why, and an optional idempotency key (a retried request with the same id creates nothing new).
     */
    public record BackfillBody(String dataset, LocalDate from, LocalDate to, String reason, String requestId) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(OperatorRoles.PLATFORM_OPERATOR)
    @Operation(summary = "Reprocess every original Bronze file of an ingest-date range as new BACKFILL runs")
    public Response request(BackfillBody body) {
        if (body == null) {
            throw new BadRequestException("A backfill needs a body: dataset, from, to, reason[, request_id]");
        }
        Actor operator = currentActor.get();
        BackfillRequest request = new BackfillRequest(body.requestId(), body.dataset(), body.from(), body.to(), body.reason(),
                operator.name(), operator.sortedRoles());
        Backfill.Outcome outcome = backfill.request(request, fileLanded);
        if (outcome.created()) {
            metrics.counter("lake.backfill.requests").increment();
            metrics.counter("lake.backfill.runs").increment(outcome.record().runs().size());
        }
        LOG.infof("Backfill %s by %s (%s): %d run(s) for %s..%s", outcome.record().requestId(), request.requestedBy(),
                outcome.created() ? "new" : "known", outcome.record().runs().size(), request.from(), request.to());
        return Response.accepted(outcome.record()).build();
    }

    @GET
    @RolesAllowed(OperatorRoles.EVERY_ROLE)
    @Operation(summary = "Every backfill request, oldest first")
    public List<BackfillRecord> list() {
        return backfill.list();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(OperatorRoles.EVERY_ROLE)
    @Operation(summary = "One backfill request: who, why, when, the range and the runs it created")
    public BackfillRecord find(@PathParam("id") String id) {
        return backfill.find(id).orElseThrow(() -> new NotFoundException("No backfill request " + id));
    }
}
