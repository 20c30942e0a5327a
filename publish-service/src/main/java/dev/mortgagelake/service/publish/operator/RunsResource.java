package dev.mortgagelake.service.publish.operator;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.publish.HeldRuns;
import dev.mortgagelake.publish.RunPromotion;
import dev.mortgagelake.publish.table.HistoryEntry;
import dev.mortgagelake.security.OperatorRoles;
import dev.mortgagelake.storage.ObjectNotFoundException;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.storage.StoredObject;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read-only: every run the lake validated, with what publish-service decided about it. The validation
 * records ({@code silver/_runs/...}) are the runs' source of truth for counts, partitions, quarantine
 * and drift; publish-service adds the promotion (the first Silver version holding the run) or the hold
 * and its decision. Added for the operator console's Runs page: the same roles that read tables and
 * held runs may read runs; nothing here changes the lake.
 */
@Path("/operator/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "operator", description = "Publish authority: versions, held runs, rollback")
@SecurityRequirement(name = "basicAuth")
@SecurityRequirement(name = "bearerAuth")
public class RunsResource {

    /** How many runs one listing returns at most (newest first). */
    static final int MAX_RUNS = 1000;

    @Inject
    RunPromotion promotion;

    @Inject
    dev.mortgagelake.storage.ObjectStore store;

    @Inject
    LakeLayout layout;

    /**
     * A run as the lake knows it.
     *
     * @param publication     {@code PROMOTED}, {@code HELD} (pending), {@code APPROVED}, {@code REJECTED},
     *                        {@code FILE_REJECTED} (nothing to promote) or {@code NOT_PROMOTED} (not (yet) in the table)
     * @param quarantineRate  quarantined / rows read (0 when nothing was read)
     * @param tableVersion    the first Silver version that holds the run, or null
     * @param landedToValidated milliseconds from the run's creation (its run id) to its validation record
     * @param validatedToPromoted milliseconds from validation to the promoting version's commit, or null
     */
    public record RunView(String runId, String runKind, RunValidated.Outcome outcome, String publication, Instant createdAt, Instant validatedAt,
                          Instant promotedAt, Long tableVersion, BigDecimal quarantineRate, Long landedToValidated,
                          Long validatedToPromoted, RunValidated validation) {
    }

    @GET
    @RolesAllowed(OperatorRoles.EVERY_ROLE)
    @Operation(summary = "Every validated run, newest first, with counts, partitions, quarantine, drift and its promotion or hold")
    public List<RunView> runs(@QueryParam("limit") @DefaultValue("500") int limit) {
        Map<String, HistoryEntry> promotedBy = promotedBy();
        Map<String, String> holds = holds();
        List<StoredObject> records = new ArrayList<>(store.list(layout.buckets().silver(), layout.validationRecordsPrefix()).stream()
                .filter(o -> o.location().key().endsWith("/run-validated.json")).toList());
        records.sort(Comparator.comparing((StoredObject o) -> o.location().key()).reversed());
        return records.stream().limit(Math.max(1, Math.min(limit, MAX_RUNS)))
                .map(o -> view(read(o.location()), promotedBy, holds)).toList();
    }

    @GET
    @Path("/{runId}")
    @RolesAllowed(OperatorRoles.EVERY_ROLE)
    @Operation(summary = "One validated run with its promotion or hold")
    public RunView run(@PathParam("runId") String runId) {
        RunId id;
        try {
            id = RunId.of(runId);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException(e.getMessage());
        }
        RunValidated run;
        try {
            run = read(layout.validationRecord(id));
        } catch (ObjectNotFoundException e) {
            throw new NotFoundException("Run " + runId + " has no validation record");
        }
        return view(run, promotedBy(), holds());
    }

    private RunValidated read(dev.mortgagelake.storage.Location location) {
        try {
            return EventCodec.mapper().readValue(store.read(location), RunValidated.class);
        } catch (IOException e) {
            throw new StorageException("Unreadable validation record " + location + ": " + e.getMessage(), false, e);
        }
    }

    /** The first Silver version that holds each run. */
    private Map<String, HistoryEntry> promotedBy() {
        Map<String, HistoryEntry> first = new HashMap<>();
        for (HistoryEntry entry : promotion.log().history()) {
            for (String runId : entry.runIds()) {
                first.putIfAbsent(runId, entry);
            }
        }
        return first;
    }

    private Map<String, String> holds() {
        Map<String, String> status = new HashMap<>();
        for (HeldRuns.Entry entry : promotion.heldRuns().list()) {
            status.put(entry.held().runId(), entry.status());
        }
        return status;
    }

    private static RunView view(RunValidated run, Map<String, HistoryEntry> promotedBy, Map<String, String> holds) {
        HistoryEntry promoted = promotedBy.get(run.runId());
        String hold = holds.get(run.runId());
        String publication;
        if (promoted != null) {
            publication = "PROMOTED";
        } else if (hold != null) {
            publication = "PENDING".equals(hold) ? "HELD" : hold;
        } else if (RunValidated.OUTCOME_FILE_REJECTED.equals(run.outcome())) {
            publication = "FILE_REJECTED";
        } else {
            publication = "NOT_PROMOTED";
        }
        Instant created = createdAt(run.runId()).orElse(null);
        long read = run.counts() == null ? 0 : run.counts().rowsRead();
        BigDecimal rate = read == 0 ? BigDecimal.ZERO
                : BigDecimal.valueOf(run.counts().quarantined()).divide(BigDecimal.valueOf(read), 4, RoundingMode.HALF_EVEN);
        Instant promotedAt = promoted == null ? null : promoted.committedAt();
        return new RunView(run.runId(), run.runKind(), run.outcome(), publication, created, run.validatedAt(), promotedAt,
                promoted == null ? null : promoted.version(), rate,
                created == null || run.validatedAt() == null ? null : Duration.between(created, run.validatedAt()).toMillis(),
                promotedAt == null || run.validatedAt() == null ? null : Duration.between(run.validatedAt(), promotedAt).toMillis(),
                run);
    }

    private static Optional<Instant> createdAt(String runId) {
        try {
            return Optional.of(RunId.of(runId).createdAt());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
