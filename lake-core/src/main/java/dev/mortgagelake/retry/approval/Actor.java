package dev.mortgagelake.retry.approval;

import java.util.Objects;
import java.util.Set;

/**
 * An authenticated person acting on the quarantine: their identity (the principal name the
 * identity provider gives) and their roles. The four-eyes rule compares {@code name}s.
 */
public record Actor(String name, Set<String> roles) {

    public Actor {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("An actor needs a name");
        }
        roles = Set.copyOf(roles);
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
