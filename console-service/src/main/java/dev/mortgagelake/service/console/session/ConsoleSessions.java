package dev.mortgagelake.service.console.session;

import dev.mortgagelake.service.console.ConsoleConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.NewCookie;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sessions, in memory: a restart signs everyone out (nothing to leak, nothing to migrate).
 * The cookie carries 256 random bits and nothing else; each session has its own CSRF token, which every
 * state-changing form must send back.
 */
@ApplicationScoped
public class ConsoleSessions {

    public static final String COOKIE = "lake_console_session";

    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, ConsoleSession> sessions = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    @Inject
    ConsoleConfig config;

    /** Opens a session for a person the identity provider accepted. */
    public ConsoleSession open(String user, Set<String> roles, String authorization) {
        evictIdle();
        ConsoleSession session = new ConsoleSession(token(), user, roles, authorization, token(), clock.instant());
        sessions.put(session.id(), session);
        return session;
    }

    /** The live session of a cookie value; an idle one is closed. */
    public Optional<ConsoleSession> find(String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        ConsoleSession session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (session.lastSeen().plus(config.sessionIdle()).isBefore(now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        session.seen(now);
        return Optional.of(session);
    }

    public void close(ConsoleSession session) {
        sessions.remove(session.id());
    }

    /** True when {@code token} is this session's CSRF token (constant-time comparison). */
    public static boolean csrfMatches(ConsoleSession session, String token) {
        return token != null && MessageDigest.isEqual(session.csrfToken().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    public NewCookie cookie(ConsoleSession session) {
        return new NewCookie.Builder(COOKIE).value(session.id()).path("/").httpOnly(true).secure(config.secureCookie())
                .sameSite(NewCookie.SameSite.STRICT).build();
    }

    public NewCookie expiredCookie() {
        return new NewCookie.Builder(COOKIE).value("").path("/").httpOnly(true).secure(config.secureCookie())
                .sameSite(NewCookie.SameSite.STRICT).maxAge(0).build();
    }

    private void evictIdle() {
        Instant cutoff = clock.instant().minus(config.sessionIdle());
        sessions.values().removeIf(s -> s.lastSeen().isBefore(cutoff));
    }

    private String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
