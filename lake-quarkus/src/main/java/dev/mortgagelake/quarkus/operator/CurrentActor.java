package dev.mortgagelake.quarkus.operator;

import dev.mortgagelake.operator.Actor;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * The one place the operator APIs (ingest, publish, retry) read who is calling: the request's
 * Quarkus {@link SecurityIdentity} as the domain {@link Actor} (principal name and roles). The
 * identity is whatever authenticated the request, basic auth against the demo users or an OIDC
 * bearer token when an identity provider is configured (lake-operator-security
 * {@code OptionalOidcConfigSource}); this class does not care which.
 *
 * <p>Call it per request (it is not the actor of one request): resources are singletons, the identity
 * is request-scoped. The endpoints that call it are {@code @RolesAllowed}, so there is always an
 * authenticated identity; an anonymous one is refused with 401 rather than recorded nameless.
 */
@ApplicationScoped
public class CurrentActor {

    @Inject
    Instance<SecurityIdentity> identity;

    /** The authenticated person making the current request. */
    public Actor get() {
        SecurityIdentity who = identity.get();
        if (who.isAnonymous()) {
            throw new UnauthorizedException("An operator action needs an authenticated identity");
        }
        return new Actor(who.getPrincipal().getName(), who.getRoles());
    }
}
