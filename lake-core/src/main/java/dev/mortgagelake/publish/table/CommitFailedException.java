package dev.mortgagelake.publish.table;

import dev.mortgagelake.refusal.RefusalException;

/**
 * The commit did NOT happen: no version of this attempt exists and none can appear later. The table
 * is unchanged by this call; retrying the whole operation (e.g. redelivering the event) is safe.
 * Thrown when every attempt lost the race for the next version, or the store refused the write
 * permanently.
 */
public class CommitFailedException extends RefusalException {

    @Override
    public Kind refusalKind() {
        return Kind.CONFLICT;
    }

    @Override
    public String code() {
        return "COMMIT_FAILED";
    }

    @Override
    public String title() {
        return "The table version could not be committed";
    }


    public CommitFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
