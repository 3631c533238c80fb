package io.sigil.registry;

import io.sigil.auth.Caller;
import io.sigil.auth.Grants;
import io.sigil.auth.Namespaces;
import io.sigil.auth.ObjectRef;
import io.sigil.auth.ObjectType;
import io.sigil.auth.Perm;
import io.sigil.auth.Permissions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Who may do what with a distribution, by pulp_container's rules: a permission held on the distribution, or its
 * {@code namespace_} twin held on the namespace (the first segment of the base path). Public distributions may be
 * viewed and pulled by anyone. Shared by the API and the registry, so a token and a REST call get the same answer.
 */
@ApplicationScoped
public class DistributionPermissions {

    @Inject
    Permissions permissions;
    @Inject
    Namespaces namespaces;

    /** The caller's standing on one distribution. */
    public record Standing(Grants grants, ObjectRef distribution, ObjectRef namespace, boolean isPrivate) {

        /** Whether {@code permission} (a distribution permission) is held on it or, namespace-wide, on its namespace. */
        public boolean may(String permission) {
            return grants.has(permission, distribution)
                    || namespace != null && grants.has(Perm.onNamespace(permission), namespace);
        }

        public boolean mayView() {
            return !isPrivate || may(Perm.VIEW_DISTRIBUTION);
        }

        public boolean mayPull() {
            return !isPrivate || may(Perm.PULL_DISTRIBUTION);
        }
    }

    public Standing of(Caller caller, UUID distribution, String basePath, boolean isPrivate) {
        ObjectRef ref = ObjectRef.distribution(distribution);
        Optional<Namespaces.Namespace> namespace = namespaces.find(Namespaces.nameOf(basePath));
        Grants grants = namespace.isPresent() ? permissions.grants(caller, ref, namespace.get().ref())
                : permissions.grants(caller, ref);
        return new Standing(grants, ref, namespace.map(Namespaces.Namespace::ref).orElse(null), isPrivate);
    }

    public Standing of(Caller caller, Distribution d) {
        return of(caller, d.pulpId, d.basePath, d.isPrivate);
    }

    /**
     * Whether the caller may put a new distribution at {@code basePath}: anyone signed in may claim a free namespace
     * (and becomes its owner); an existing one needs {@code add_containerdistribution} globally or
     * {@code namespace_add_containerdistribution} on it.
     */
    public boolean mayCreateAt(Caller caller, String basePath) {
        if (caller.anonymous()) {
            return false;
        }
        Optional<Namespaces.Namespace> namespace = namespaces.find(Namespaces.nameOf(basePath));
        if (namespace.isEmpty()) {
            return true;
        }
        Grants grants = permissions.grants(caller, namespace.get().ref());
        return grants.has(Perm.ADD_DISTRIBUTION, null) || grants.has(Perm.NAMESPACE_ADD_DISTRIBUTION, namespace.get().ref());
    }

    /** Claims the namespace of {@code basePath} for the caller if nobody has it yet. */
    public void claimNamespace(Caller caller, String basePath) {
        namespaces.claim(Namespaces.nameOf(basePath), caller, permissions);
    }

    /**
     * Which private distributions the caller reaches through {@code permission}: all, or those with these ids or in
     * these namespaces. Both sets hold a value that matches nothing, so queries may use them in {@code IN} as is.
     */
    public record Reach(boolean all, Set<UUID> distributions, Set<String> namespaceNames) {
    }

    public Reach reach(Caller caller, String permission) {
        if (caller.admin() || permissions.has(caller, permission, null)
                || permissions.has(caller, Perm.onNamespace(permission), null)) {
            return new Reach(true, Set.of(), Set.of());
        }
        Set<UUID> ids = new HashSet<>();
        ids.add(new UUID(0, 0));
        permissions.objectIds(caller, permission, ObjectType.DISTRIBUTION).forEach(id -> ids.add(UUID.fromString(id)));
        Set<String> names = new HashSet<>();
        names.add("");
        for (String id : permissions.objectIds(caller, Perm.onNamespace(permission), ObjectType.NAMESPACE)) {
            namespaces.get(UUID.fromString(id)).ifPresent(n -> names.add(n.name()));
        }
        return new Reach(false, ids, names);
    }
}
