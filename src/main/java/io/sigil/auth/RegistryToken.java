package io.sigil.auth;

import java.time.Instant;
import java.util.List;

/**
 * A signed registry token and what it grants. {@code subject} is the username, empty for anonymous; {@code service}
 * is the audience the token was issued for.
 */
public record RegistryToken(String encoded, String subject, String service, List<RegistryScope> access,
                            Instant issuedAt, Instant expiresAt) {

    public RegistryToken {
        access = List.copyOf(access);
    }

    /** Whether the token grants {@code action} (or {@code *}) on the resource {@code type:name}. */
    public boolean allows(String type, String name, String action) {
        return access.stream().anyMatch(scope -> scope.type().equals(type) && scope.name().equals(name)
                && (scope.actions().contains(action) || scope.actions().contains("*")));
    }
}
