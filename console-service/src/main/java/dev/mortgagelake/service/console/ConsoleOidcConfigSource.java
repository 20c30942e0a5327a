package dev.mortgagelake.service.console;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;

/**
 * Turns the OIDC tenant on exactly when an identity provider is configured
 * ({@code QUARKUS_OIDC_AUTH_SERVER_URL} or {@code -Dquarkus.oidc.auth-server-url}), as the services'
 * {@code OptionalOidcConfigSource} does (the console does not depend on lake-quarkus, which brings the AWS
 * clients). Without one, people sign in with the demo users' passwords; with one, through the provider.
 */
public final class ConsoleOidcConfigSource implements ConfigSource {

    public static final String TENANT_ENABLED = "quarkus.oidc.tenant-enabled";

    private final String enabled;

    public ConsoleOidcConfigSource() {
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
        return "console-optional-oidc";
    }

    @Override
    public int getOrdinal() {
        return 150;
    }
}
