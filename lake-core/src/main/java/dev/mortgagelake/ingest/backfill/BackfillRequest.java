package dev.mortgagelake.ingest.backfill;

import java.time.LocalDate;
import java.util.List;

/**
 * An operator's request to reprocess Bronze: every original file that landed on an ingest date in
 * {@code [from, to]} (inclusive) becomes a new {@code _BACKFILL} run.
 *
 * @param requestId   the caller's idempotency key ({@code [A-Za-z0-9._-]{1,64}}); null to get a new one
 * @param dataset     {@code mortgages/transactions} (the one dataset ingest-service owns)
 * @param from        first ingest date of the range
 * @param to          last ingest date of the range (at most {@link Backfill#MAX_DAYS} days after {@code from})
 * @param reason      why; required, recorded with the request
 * @param requestedBy the authenticated caller
 * @param roles       the caller's roles when it asked
 */
public record BackfillRequest(String requestId, String dataset, LocalDate from, LocalDate to, String reason,
                              String requestedBy, List<String> roles) {

    public BackfillRequest {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }
}
