package dev.mortgagelake.service.console.session;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Signing in and out. Without an identity provider a person signs in with the demo users' names and
 * passwords (checked by the same properties realm the services use); the console then calls the
 * services with HTTP Basic as that person. With OIDC ({@code QUARKUS_OIDC_AUTH_SERVER_URL}) the person
 * signs in at the provider ({@code /login/oidc}, code flow) and the console forwards their access token.
 */
@Path("/login")
@Blocking
public class LoginResource {

    private static final Logger LOG = Logger.getLogger(LoginResource.class);

    @CheckedTemplate(basePath = "login", requireTypeSafeExpressions = false)
    static class Templates {
        static native TemplateInstance login(String next, String error, boolean oidc);
    }

    @Inject
    ConsoleSessions sessions;

    @Inject
    IdentityProviderManager identities;

    @Inject
    Instance<SecurityIdentity> identity;

    @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false")
    boolean oidc;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page(@QueryParam("next") String next) {
        return Templates.login(safeNext(next), null, oidc);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response signIn(@FormParam("username") String username, @FormParam("password") String password,
                           @FormParam("next") String next) {
        String target = safeNext(next);
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            return Response.status(Response.Status.UNAUTHORIZED).entity(Templates.login(target, "Enter your user name and password.", oidc))
                    .build();
        }
        SecurityIdentity who;
        try {
            who = identities.authenticateBlocking(new UsernamePasswordAuthenticationRequest(username.strip(),
                    new PasswordCredential(password.toCharArray())));
        } catch (SecurityException e) {
            who = null;
        }
        if (who == null || who.isAnonymous()) {
            LOG.infof("Sign-in refused for '%s'", username.strip());
            return Response.status(Response.Status.UNAUTHORIZED).entity(Templates.login(target, "Wrong user name or password.", oidc))
                    .build();
        }
        String basic = "Basic " + Base64.getEncoder().encodeToString((username.strip() + ":" + password).getBytes(StandardCharsets.UTF_8));
        ConsoleSession session = sessions.open(who.getPrincipal().getName(), who.getRoles(), basic);
        LOG.infof("%s signed in to the console (roles %s)", session.user(), session.roles());
        return Response.seeOther(URI.create(target)).cookie(sessions.cookie(session)).build();
    }

    /** With OIDC: the provider's code flow protects this path; the console session then forwards the access token. */
    @GET
    @Path("/oidc")
    @Authenticated
    public Response signInWithProvider(@QueryParam("next") String next) {
        SecurityIdentity who = identity.get();
        AccessTokenCredential token = who.getCredential(AccessTokenCredential.class);
        if (token == null) {
            return Response.status(Response.Status.UNAUTHORIZED).entity("The identity provider gave no access token").build();
        }
        ConsoleSession session = sessions.open(who.getPrincipal().getName(), who.getRoles(), "Bearer " + token.getToken());
        return Response.seeOther(URI.create(safeNext(next))).cookie(sessions.cookie(session)).build();
    }

    @POST
    @Path("/out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signOut(@CookieParam(ConsoleSessions.COOKIE) String id, @FormParam("csrf") String csrf) {
        sessions.find(id).ifPresent(session -> {
            if (ConsoleSessions.csrfMatches(session, csrf)) {
                sessions.close(session);
                LOG.infof("%s signed out", session.user());
            }
        });
        return Response.seeOther(URI.create("/login")).cookie(sessions.expiredCookie()).build();
    }

    /** Only a path of this console: never another site (no open redirect). */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || next.startsWith("/login")) {
            return "/runs";
        }
        return next;
    }
}
