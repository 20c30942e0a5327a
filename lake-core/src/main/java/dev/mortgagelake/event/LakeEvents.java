package dev.mortgagelake.event;

/**
 * The lake's events as their producers emit them: one place for each event's id, source, time and
 * subject. Ids are deterministic ({@code <run_id>/<event>}), so a re-emission carries the same id.
 */
public final class LakeEvents {

    public static final String INGEST_SOURCE = "/mortgage-lake/ingest-service";
    public static final String VALIDATION_SOURCE = "/mortgage-lake/validation-service";
    public static final String RETRY_SOURCE = "/mortgage-lake/retry-service";
    public static final String PUBLISH_SOURCE = "/mortgage-lake/publish-service";

    private LakeEvents() {
    }

    public static LakeEvent<FileLanded> fileLanded(FileLanded landed) {
        return LakeEvent.of(EventType.FILE_LANDED, landed.runId() + "/file-landed", INGEST_SOURCE, landed.landedAt(),
                landed.runId(), landed);
    }

    public static LakeEvent<RunValidated> runValidated(RunValidated run) {
        return LakeEvent.of(EventType.RUN_VALIDATED, run.runId() + "/run-validated", VALIDATION_SOURCE, run.validatedAt(),
                run.runId(), run);
    }

    public static LakeEvent<RetryDue> retryDue(RetryDue due) {
        return LakeEvent.of(EventType.RETRY_DUE, due.batchRunId() + "/retry-due/" + due.batchKind() + "/" + due.attempt(), RETRY_SOURCE,
                due.dueAt(),
                due.batchRunId(), due);
    }

    public static LakeEvent<RunPromoted> runPromoted(RunPromoted promoted) {
        return LakeEvent.of(EventType.RUN_PROMOTED, promoted.runId() + "/run-promoted", PUBLISH_SOURCE, promoted.promotedAt(),
                promoted.runId(), promoted);
    }
}
