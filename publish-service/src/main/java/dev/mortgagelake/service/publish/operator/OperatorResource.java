package dev.mortgagelake.service.publish.operator;

import dev.mortgagelake.event.LakeEvents;
import dev.mortgagelake.gold.GoldDataset;
import dev.mortgagelake.gold.GoldRefresh;
import dev.mortgagelake.publish.HeldRunDecision;
import dev.mortgagelake.publish.HeldRuns;
import dev.mortgagelake.publish.OperatorRequestException;
import dev.mortgagelake.publish.RunPromotion;
import dev.mortgagelake.publish.check.CheckFailure;
import dev.mortgagelake.publish.current.CurrentReconciler;
import dev.mortgagelake.publish.table.HistoryEntry;
import dev.mortgagelake.publish.table.LatestPointer;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.publish.table.TableVersionLog;
import dev.mortgagelake.quarkus.ChannelEventSink;
import dev.mortgagelake.quarkus.operator.CurrentActor;
import dev.mortgagelake.security.OperatorRoles;
import dev.mortgagelake.service.publish.CurrentReconcileJob;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The operator API of publish-service: tables (Silver and the three Gold
 * tables, {@code gold.finance.<dataset>}) and their versions, held runs with
 * approve/reject, rollback, and an on-demand reconcile of {@code current/}. Every endpoint needs an
 * authenticated operator; the role matrix is in {@link OperatorRoles}. Actions are recorded in the
 * lake (decision records, ROLLBACK versions with {@code requested_by} and {@code reason}) and logged.
 */
@Path("/operator")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "operator", description = "Publish authority: versions, held runs, rollback")
@SecurityRequirement(name = "basicAuth")
@SecurityRequirement(name = "bearerAuth")
public class OperatorResource {

    /** The Silver table's name in this API. */
    public static final String SILVER_TABLE = "silver.mortgages.transactions";

    /** Gold tables are named {@code gold.finance.<dataset>} in this API (read and reconcile only: Gold follows Silver). */
    public static final String GOLD_TABLE_PREFIX = "gold.finance.";

    private static final Logger LOG = Logger.getLogger(OperatorResource.class);

    @Inject
    RunPromotion promotion;

    @Inject
    ChannelEventSink runPromoted;

    @Inject
    CurrentReconcileJob reconcileJob;

    @Inject
    GoldRefresh gold;

    @Inject
    CurrentActor currentActor;

    @Inject
    MeterRegistry metrics;

    /** A table the publisher owns, with the version its pointer names. */
    public record TableView(String name, String bucket, String tableRoot, String currentPrefix, String schemaVersion,
                            long latestVersion, LatestPointer pointer) {
    }

    /** A held run, its reasons and the decision on it (PENDING, APPROVED or REJECTED). */
    public record HeldRunView(String runId, String status, Instant heldAt, List<CheckFailure> reasons, HeldRunDecision decision,
                              Object run) {

        static HeldRunView of(HeldRuns.Entry entry) {
            return new HeldRunView(entry.held().runId(), entry.status(), entry.held().heldAt(), entry.held().reasons(),
                    entry.decision(), entry.held().run());
        }
    }

    /** Why an operator acts; required. */
    public record DecisionRequest(String reason) {
    }

    /** Roll back to {@code toVersion}; {@code expectedVersion} is the version reviewed (the request fails if the table moved). */
    public record RollbackRequest(Long toVersion, Long expectedVersion, String reason) {
    }

    /** What an approval did. */
    public record ApprovalView(String runId, String status, long tableVersion, boolean newVersion, LatestPointer latest) {
    }

    @GET
    @Path("/tables")
    @RolesAllowed(OperatorRoles.EVERY_ROLE)
    @Operation(summary = "The tables this publisher owns, with their newest version and _LATEST.json")
    public List<TableView> tables() {
        List<TableView> tables = new ArrayList<>();
        tables.add(new TableView(SILVER_TABLE, promotion.table().bucket(), promotion.table().root(),
                promotion.currentPrefix(), promotion.schemaVersion(), promotion.log().latestVersion(),
                promotion.pointer().read().orElse(null)));
        for (GoldDataset dataset : GoldDataset.values()) {
            TableVersionLog log = gold.publisher().log(dataset);
            tables.add(new TableView(goldName(dataset), log.table().bucket(), log.table().root(),
                    gold.currentPrefix(dataset), GoldDataset.SCHEMA_VERSION, log.latestVersion(),
                    gold.publisher().pointer(dataset).read().orElse(null)));
        }
        return tables;
    }

    @GET
    @Path("/tables/{table}/versions")
    @RolesAllowed(OperatorRoles.EVERY_ROLE)
    @Operation(summary = "The promotion history of a table, oldest version first (Gold versions name their Silver source version)")
    public List<HistoryEntry> versions(@PathParam("table") String table) {
        return log(table).history();
    }

    @GET
    @Path("/tables/{table}/versions/{version}")
    @RolesAllowed(OperatorRoles.EVERY_ROLE)
    @Operation(summary = "One version of a table: every file of every partition, retired runs, properties, source")
    public TableSnapshot version(@PathParam("table") String table, @PathParam("version") long version) {
        TableVersionLog log = log(table);
        if (version < 1) {
            throw new NotFoundException("Table versions start at 1");
        }
        return log.find(version).orElseThrow(() -> new NotFoundException("No version " + version + " of " + table));
    }

    @POST
    @Path("/tables/{table}/rollback")
    @RolesAllowed(OperatorRoles.FINANCE_CONTROLLER)
    @Operation(summary = "Point the table back to an earlier version, as a new ROLLBACK version (history kept)")
    public TableSnapshot rollback(@PathParam("table") String table, RollbackRequest request) {
        requireSilver(table);
        if (request == null || request.toVersion() == null || request.expectedVersion() == null) {
            throw new BadRequestException("to_version and expected_version are required");
        }
        String reason = requireReason(request.reason());
        RunPromotion.RollbackResult result = promotion.rollback(request.toVersion(), request.expectedVersion(), operator(), reason);
        metrics.counter("lake.operator.actions", "action", "rollback").increment();
        LOG.infof("Operator %s rolled %s back to version %d (new version %d): %s", operator(), table, request.toVersion(),
                result.snapshot().version(), reason);
        return result.snapshot();
    }

    @POST
    @Path("/tables/{table}/reconcile")
    @RolesAllowed(OperatorRoles.TABLE_MAINTAINERS)
    @Operation(summary = "Make current/ and _LATEST.json follow the newest version now")
    public CurrentReconciler.Reconciliation reconcile(@PathParam("table") String table) {
        Optional<GoldDataset> dataset = goldDataset(table);
        if (dataset.isEmpty()) {
            requireSilver(table);
        }
        LOG.infof("Operator %s asked to reconcile %s", operator(), table);
        Optional<CurrentReconciler.Reconciliation> done = dataset.isPresent()
                ? gold.reconcile(dataset.get())
                : reconcileJob.reconcileNow();
        return done.orElseThrow(() -> new NotFoundException(table + " has no version yet"));
    }

    @GET
    @Path("/held-runs")
    @RolesAllowed(OperatorRoles.EVERY_ROLE)
    @Operation(summary = "Every held run with its reasons and decision (PENDING, APPROVED, REJECTED)")
    public List<HeldRunView> heldRuns() {
        return promotion.heldRuns().list().stream().map(HeldRunView::of).toList();
    }

    @GET
    @Path("/held-runs/{runId}")
    @RolesAllowed(OperatorRoles.EVERY_ROLE)
    @Operation(summary = "One held run")
    public HeldRunView heldRun(@PathParam("runId") String runId) {
        HeldRuns held = promotion.heldRuns();
        return held.find(runId).map(h -> HeldRunView.of(new HeldRuns.Entry(h, held.decision(runId).orElse(null))))
                .orElseThrow(() -> new NotFoundException("Run " + runId + " is not held"));
    }

    @POST
    @Path("/held-runs/{runId}/approve")
    @RolesAllowed(OperatorRoles.FINANCE_CONTROLLER)
    @Operation(summary = "Approve a held run: its integrity is re-checked, then it is promoted and run-promoted is emitted")
    public ApprovalView approve(@PathParam("runId") String runId, DecisionRequest request) {
        String reason = requireReason(request == null ? null : request.reason());
        RunPromotion.Decision decision = promotion.approve(runId, operator(), reason);
        if (decision.isPromoted()) {
            runPromoted.send(LakeEvents.runPromoted(decision.promoted()));
        }
        metrics.counter("lake.operator.actions", "action", "approve").increment();
        return new ApprovalView(runId, decision.status().name(), decision.tableVersion(), decision.newVersion(), decision.latest());
    }

    @POST
    @Path("/held-runs/{runId}/reject")
    @RolesAllowed(OperatorRoles.FINANCE_CONTROLLER)
    @Operation(summary = "Reject a held run: it is never promoted and stays held for audit")
    public HeldRunDecision reject(@PathParam("runId") String runId, DecisionRequest request) {
        String reason = requireReason(request == null ? null : request.reason());
        HeldRunDecision decision = promotion.reject(runId, operator(), reason);
        metrics.counter("lake.operator.actions", "action", "reject").increment();
        return decision;
    }

    private static void requireSilver(String table) {
        if (goldDataset(table).isPresent()) {
            throw new OperatorRequestException(OperatorRequestException.Kind.CONFLICT, table
                    + " follows Silver and is never rolled back itself: roll back " + SILVER_TABLE + " and Gold is recomputed");
        }
        if (!SILVER_TABLE.equals(table)) {
            throw new NotFoundException("No table " + table + "; known: " + knownTables());
        }
    }

    /** The version log of a table of this API (Silver or Gold). */
    private TableVersionLog log(String table) {
        Optional<GoldDataset> dataset = goldDataset(table);
        if (dataset.isPresent()) {
            return gold.publisher().log(dataset.get());
        }
        requireSilver(table);
        return promotion.log();
    }

    private static String goldName(GoldDataset dataset) {
        return GOLD_TABLE_PREFIX + dataset.tableName();
    }

    private static Optional<GoldDataset> goldDataset(String table) {
        for (GoldDataset dataset : GoldDataset.values()) {
            if (goldName(dataset).equals(table)) {
                return Optional.of(dataset);
            }
        }
        return Optional.empty();
    }

    private static List<String> knownTables() {
        List<String> known = new ArrayList<>(List.of(SILVER_TABLE));
        for (GoldDataset dataset : GoldDataset.values()) {
            known.add(goldName(dataset));
        }
        return known;
    }

    private static String requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new BadRequestException("A reason is required");
        }
        return reason.strip();
    }

    private String operator() {
        return currentActor.get().name();
    }
}
