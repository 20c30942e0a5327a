package dev.mortgagelake.service.console.session;

import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * Every page needs a signed-in person: without a live session a GET is sent to the sign-in page (and
 * back afterwards), anything else is refused with 401. Static files (CSS, the chart library) and the
 * health checks are served outside this gate and hold nothing private.
 */
public class SessionGate {

    @Inject
    ConsoleSessions sessions;

    @Inject
    CurrentSession current;

    @ServerRequestFilter
    public Optional<Response> requireSession(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.equals("/login") || path.startsWith("/login/")) {
            return Optional.empty();
        }
        Cookie cookie = request.getCookies().get(ConsoleSessions.COOKIE);
        Optional<ConsoleSession> session = sessions.find(cookie == null ? null : cookie.getValue());
        if (session.isPresent()) {
            current.set(session.get());
            return Optional.empty();
        }
        if (HttpMethod.GET.equals(request.getMethod())) {
            String next = request.getUriInfo().getRequestUri().getRawPath();
            String query = request.getUriInfo().getRequestUri().getRawQuery();
            if (query != null) {
                next = next + "?" + query;
            }
            return Optional.of(Response.seeOther(UriBuilder.fromPath("/login").queryParam("next", "{next}").build(next)).build());
        }
        return Optional.of(Response.status(Response.Status.UNAUTHORIZED).entity("Sign in first: /login").type("text/plain").build());
    }
}
