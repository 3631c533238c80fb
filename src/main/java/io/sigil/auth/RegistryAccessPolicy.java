package io.sigil.auth;

import java.util.Set;

/**
 * Decides which of the requested actions a caller gets in a registry token. Provide an {@code @ApplicationScoped}
 * implementation to replace the default (admin: everything; users: pull and push on repositories; anonymous: pull).
 */
public interface RegistryAccessPolicy {

    /** The actions of {@code requested} to grant; anything outside {@code requested.actions()} is ignored. */
    Set<String> grantedActions(Caller caller, RegistryScope requested);
}
