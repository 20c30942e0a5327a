package dev.mortgagelake.security;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Supplies the role-set properties that {@link OperatorRoles#EVERY_ROLE} and the other set
 * expressions of {@code @RolesAllowed} resolve to (each a comma-separated list, which Quarkus expands
 * into several roles). Registered by each service with an operator API in
 * {@code META-INF/services/org.eclipse.microprofile.config.spi.ConfigSource}. A low ordinal: nothing
 * else should set these names, and if something does, it wins and is visible in the configuration.
 */
public final class OperatorRoleSets implements ConfigSource {

    private final Map<String, String> properties = new TreeMap<>();

    public OperatorRoleSets() {
        OperatorRoles.SETS.forEach((name, roles) -> properties.put(name, String.join(",", roles)));
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.copyOf(properties);
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "lake-operator-role-sets";
    }

    @Override
    public int getOrdinal() {
        return 50;
    }
}
