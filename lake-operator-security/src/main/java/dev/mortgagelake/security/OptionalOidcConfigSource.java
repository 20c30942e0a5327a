package dev.mortgagelake.security;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;

/**
 * Turns OIDC bearer-token authentication on exactly when an identity provider is configured
 * ({@code QUARKUS_OIDC_AUTH_SERVER_URL} or {@code -Dquarkus.oidc.auth-server-url}), so the service
 * starts without one (dev, tests, the local job, docker-compose) and uses it in production.
 * A low ordinal: an explicit {@code quarkus.oidc.tenant-enabled} anywhere else wins.
 */
public final class OptionalOidcConfigSource implements ConfigSource {

    public static final String TENANT_ENABLED = "quarkus.oidc.tenant-enabled";

    private final String enabled;

    public OptionalOidcConfigSource() {
        this.enabled = Boolean.toString(present(System.getenv("QUARKUS_OIDC_AUTH_SERVER_URL"))
                || present(System.getProperty("quarkus.oidc.auth-server-url")));
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(TENANT_ENABLED, enabled);
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(TENANT_ENABLED);
    }

    @Override
    public String getValue(String propertyName) {
        return TENANT_ENABLED.equals(propertyName) ? enabled : null;
    }

    @Override
    public String getName() {
        return "lake-optional-oidc";
    }

    @Override
    public int getOrdinal() {
        return 150;
    }
}
