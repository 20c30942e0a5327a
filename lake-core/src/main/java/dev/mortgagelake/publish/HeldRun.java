package dev.mortgagelake.publish;

import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.publish.check.CheckFailure;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The record of a run that failed its promotion checks, written create-once at
 * {@code <table root>_held/run_id=<run>.json}:
 * <pre>
 * {"run_id":..,"schema_version":"v1","table_root":"silver/.../_table/schema_v=v1/","held_at":..,
 *  "reasons":[{"code":"FILE_CHECKSUM_MISMATCH","message":".."}],"run":{..the run-validated payload..}}
 * </pre>
 * It keeps the whole event so that an operator's later decision (approve after repair, reject) does
 * not depend on the message still being on a queue.
 */
public record HeldRun(
        String runId,
        String schemaVersion,
        String tableRoot,
        Instant heldAt,
        List<CheckFailure> reasons,
        RunValidated run) {

    public HeldRun {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(heldAt, "heldAt");
        reasons = List.copyOf(reasons);
    }
}
