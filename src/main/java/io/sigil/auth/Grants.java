package io.sigil.auth;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What a caller holds: permissions granted globally, and per object (keyed by {@link ObjectRef#key()}). */
public record Grants(boolean all, Set<String> global, Map<String, Set<String>> byObject) {

    static final Grants EVERYTHING = new Grants(true, Set.of(), Map.of());
    static final Grants NOTHING = new Grants(false, Set.of(), Map.of());

    /** Whether {@code permission} is held globally or on {@code object} (null: globally only). */
    public boolean has(String permission, ObjectRef object) {
        return all || global.contains(permission)
                || object != null && byObject.getOrDefault(object.key(), Set.of()).contains(permission);
    }

    /** Whether any of {@code permissions} is held globally or on {@code object}. */
    public boolean hasAny(Collection<String> permissions, ObjectRef object) {
        return permissions.stream().anyMatch(p -> has(p, object));
    }

    /** Everything held on {@code object}, global grants included; admins see every permission of its type's roles. */
    public Set<String> on(ObjectRef object) {
        Set<String> held = new TreeSet<>(global);
        held.addAll(byObject.getOrDefault(object.key(), Set.of()));
        if (all) {
            LockedRoles.ROLES.values().forEach(perms -> perms.stream().filter(object.type()::concerns).forEach(held::add));
        }
        return held;
    }
}
