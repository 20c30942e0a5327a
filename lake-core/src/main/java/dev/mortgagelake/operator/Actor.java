package dev.mortgagelake.operator;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An authenticated person acting through an operator API (a quarantine request or decision, a held
 * run's approval, a rollback, a backfill): their identity (the principal name the identity provider
 * gives) and their roles. The services get it from lake-quarkus {@code CurrentActor}, the one place
 * that reads the security identity. The four-eyes rule compares {@code name}s.
 */
public record Actor(String name, Set<String> roles) {

    public Actor {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("An actor needs a name");
        }
        roles = Set.copyOf(roles);
    }

    /** The roles in alphabetical order (as records and the audit trail list them). */
    public List<String> sortedRoles() {
        return roles.stream().sorted().toList();
    }

    /** The first of {@code candidates} this actor holds (the role the action is recorded under). */
    public String roleAmong(String... candidates) {
        for (String role : candidates) {
            if (roles.contains(role)) {
                return role;
            }
        }
        throw new IllegalArgumentException(name + " holds none of the roles " + String.join(", ", candidates));
    }
}
