package dev.mortgagelake.quarkus;

import org.jboss.logging.MDC;

/**
 * Puts {@code run_id} into the logging context for the current thread, so every log line written
 * while a run is handled (JSON logs in production) carries it. Use with try-with-resources.
 */
public final class RunLogContext implements AutoCloseable {

    public static final String RUN_ID = "run_id";

    private final Object previous;

    private RunLogContext(String runId) {
        this.previous = MDC.get(RUN_ID);
        if (runId != null) {
            MDC.put(RUN_ID, runId);
        }
    }

    public static RunLogContext of(String runId) {
        return new RunLogContext(runId);
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(RUN_ID);
        } else {
            MDC.put(RUN_ID, previous);
        }
    }
}
