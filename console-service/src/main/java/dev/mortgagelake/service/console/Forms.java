package dev.mortgagelake.service.console;

import dev.mortgagelake.service.console.backend.Reply;
import dev.mortgagelake.service.console.session.ConsoleSession;
import dev.mortgagelake.service.console.session.ConsoleSessions;
import dev.mortgagelake.service.console.session.Notice;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.function.Function;

/** What every state-changing form does: check the session's CSRF token, act, report, redirect (POST/redirect/GET). */
public final class Forms {

    private Forms() {
    }

    public static void requireCsrf(ConsoleSession session, String token) {
        if (!ConsoleSessions.csrfMatches(session, token)) {
            throw new ErrorPages.CsrfRefused();
        }
    }

    /** A reason is required by every action; the owning service checks it too. */
    public static boolean hasReason(ConsoleSession session, String reason, String back) {
        if (reason == null || reason.isBlank()) {
            session.notice(Notice.error("A reason is required", "Say why: the reason goes into the audit trail."));
            return false;
        }
        return true;
    }

    /** Records the reply as the next page's notice and sends the browser back to {@code back}. */
    public static Response report(ConsoleSession session, Reply reply, String action, Function<Reply, String> success, String back) {
        session.notice(reply.ok() ? Notice.ok(action, success.apply(reply)) : reply.refusal(action));
        return seeOther(back);
    }

    public static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).build();
    }
}
