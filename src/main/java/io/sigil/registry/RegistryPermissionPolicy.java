package io.sigil.registry;

import io.sigil.auth.Caller;
import io.sigil.auth.Grants;
import io.sigil.auth.Namespaces;
import io.sigil.auth.Perm;
import io.sigil.auth.Permissions;
import io.sigil.auth.RegistryAccessPolicy;
import io.sigil.auth.RegistryScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a registry token may carry, by pulp_container's token rules: for an existing distribution, pull when it is
 * public or the caller holds pull on it (or namespace-pull on its namespace), push with push on it; for a path
 * without a distribution, push when the caller may create one there (a free namespace, or add rights on the
 * namespace). Push brings pull along; a delete is a push. Admins get what they ask; nothing outside repositories.
 */
@ApplicationScoped
public class RegistryPermissionPolicy implements RegistryAccessPolicy {

    @Inject
    DistributionService distributions;
    @Inject
    DistributionPermissions distributionPermissions;
    @Inject
    Permissions permissions;
    @Inject
    Namespaces namespaces;

    @Override
    public Set<String> grantedActions(Caller caller, RegistryScope requested) {
        if (caller.admin()) {
            return requested.actions();
        }
        if (!RegistryScope.REPOSITORY.equals(requested.type()) || !DistributionService.isValidBasePath(requested.name())) {
            return Set.of();
        }
        Set<String> granted = new LinkedHashSet<>();
        Optional<ServedRepository> served = distributions.resolve(requested.name());
        if (served.isPresent()) {
            ServedRepository s = served.get();
            DistributionPermissions.Standing standing = distributionPermissions.of(caller, s.distributionPulpId(),
                    s.basePath(), s.isPrivate());
            if (!caller.anonymous() && standing.may(Perm.PUSH_DISTRIBUTION)) {
                granted.add(RegistryScope.PUSH);
                granted.add("delete");
                granted.add(RegistryScope.PULL);
            } else if (standing.mayPull()) {
                granted.add(RegistryScope.PULL);
            }
        } else if (!caller.anonymous()) {
            if (distributionPermissions.mayCreateAt(caller, requested.name())) {
                granted.add(RegistryScope.PUSH);
                granted.add("delete");
                granted.add(RegistryScope.PULL);
            } else if (mayViewNamespace(caller, requested.name())) {
                granted.add(RegistryScope.PULL); // answers 404 rather than 401: they may know what is there
            }
        }
        granted.retainAll(requested.actions());
        return granted;
    }

    private boolean mayViewNamespace(Caller caller, String name) {
        return namespaces.find(Namespaces.nameOf(name)).map(n -> {
            Grants grants = permissions.grants(caller, n.ref());
            return grants.has(Perm.NAMESPACE_VIEW_DISTRIBUTION, n.ref());
        }).orElse(false);
    }
}
