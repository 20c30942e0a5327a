package dev.mortgagelake.service.console.session;

import dev.mortgagelake.security.OperatorRoles;
import java.time.Instant;
import java.util.Set;

/**
 * A signed-in person, held in the console's memory only (the browser holds a random session id in an
 * HttpOnly, SameSite=Strict cookie). {@code authorization} is the header the console sends on the
 * person's behalf to the services (HTTP Basic with the demo users, {@code Bearer} with OIDC): it never
 * leaves the server and is never rendered.
 */
public final class ConsoleSession {

    private final String id;
    private final String user;
    private final Set<String> roles;
    private final String authorization;
    private final String csrfToken;
    private volatile Instant lastSeen;
    private volatile Notice notice;

    ConsoleSession(String id, String user, Set<String> roles, String authorization, String csrfToken, Instant now) {
        this.id = id;
        this.user = user;
        this.roles = Set.copyOf(roles);
        this.authorization = authorization;
        this.csrfToken = csrfToken;
        this.lastSeen = now;
    }

    public String id() {
        return id;
    }

    public String user() {
        return user;
    }

    public Set<String> roles() {
        return roles;
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** The header to send to a service on this person's behalf. */
    public String authorization() {
        return authorization;
    }

    public String csrfToken() {
        return csrfToken;
    }

    Instant lastSeen() {
        return lastSeen;
    }

    void seen(Instant now) {
        this.lastSeen = now;
    }

    /** Keeps a notice for the next page. */
    public void notice(Notice notice) {
        this.notice = notice;
    }

    /** The pending notice, once. */
    public Notice takeNotice() {
        Notice taken = notice;
        notice = null;
        return taken;
    }

    /** What a page may show about the person: never the credentials. */
    public Viewer viewer() {
        return new Viewer(user, roles.stream().sorted().toList(), csrfToken, takeNotice(),
                hasRole(OperatorRoles.QUALITY_ANALYST), hasRole(OperatorRoles.QUALITY_APPROVER), hasRole(OperatorRoles.FINANCE_CONTROLLER),
                hasRole(OperatorRoles.PLATFORM_OPERATOR));
    }
}
