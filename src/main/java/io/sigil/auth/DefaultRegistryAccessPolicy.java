package io.sigil.auth;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** Admins get what they ask; users pull and push repositories; anonymous callers pull them. Nothing else. */
@DefaultBean
@ApplicationScoped
class DefaultRegistryAccessPolicy implements RegistryAccessPolicy {

    private static final Set<String> USER = Set.of(RegistryScope.PULL, RegistryScope.PUSH);
    private static final Set<String> ANONYMOUS = Set.of(RegistryScope.PULL);

    @Override
    public Set<String> grantedActions(Caller caller, RegistryScope requested) {
        if (caller.admin()) {
            return requested.actions();
        }
        if (!RegistryScope.REPOSITORY.equals(requested.type())) {
            return Set.of();
        }
        return requested.narrowedTo(caller.anonymous() ? ANONYMOUS : USER).actions();
    }
}
