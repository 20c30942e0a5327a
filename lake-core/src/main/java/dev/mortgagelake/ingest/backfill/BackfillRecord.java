package dev.mortgagelake.ingest.backfill;

import dev.mortgagelake.storage.Location;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A backfill request as the lake keeps it ({@code bronze/_ingest/mortgages/transactions/backfills/<id>.json},
 * create-once, never replaced): who asked, with which roles, why, when, the range, and the runs it
 * created. It is written before any run's Bronze copy or event, so a request interrupted by a crash is
 * completed from this record (same run ids), never planned twice.
 */
public record BackfillRecord(
        String requestId,
        String dataset,
        LocalDate from,
        LocalDate to,
        String reason,
        String requestedBy,
        List<String> roles,
        Instant requestedAt,
        List<Run> runs) {

    public BackfillRecord {
        roles = roles == null ? List.of() : List.copyOf(roles);
        runs = runs == null ? List.of() : List.copyOf(runs);
    }

    /** Whether this record answers {@code request} (same dataset, range and reason). */
    boolean sameAs(BackfillRequest request) {
        return dataset.equals(request.dataset()) && from.equals(request.from()) && to.equals(request.to())
                && reason.equals(request.reason().strip());
    }

    /**
     * One new run of a backfill.
     *
     * @param runId          the new run ({@code ..._BACKFILL})
     * @param ingestDate     the new run's ingest date (the day of the request)
     * @param bronze         the new run's Bronze copy
     * @param originalRunId  the run that first ingested the content (its content claim's owner)
     * @param originalBronze the original run's Bronze file, the bytes copied
     * @param sha256         the content's sha256
     * @param sizeBytes      the content's size
     * @param supersedes     every earlier run of the same content: the original and earlier backfills
     */
    public record Run(String runId, LocalDate ingestDate, Location bronze, String originalRunId, Location originalBronze,
                      String sha256, long sizeBytes, List<String> supersedes) {

        public Run {
            supersedes = supersedes == null ? List.of() : List.copyOf(supersedes);
        }
    }
}
