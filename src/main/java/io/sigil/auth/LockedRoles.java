package io.sigil.auth;

import static io.sigil.auth.Perm.*;

import io.sigil.common.Sql;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The roles Sigil ships, locked against edits and written to the database at every start as Pulp re-syncs its
 * {@code LOCKED_ROLES} on migrate: a release that changes a role's permissions changes them everywhere it is held.
 * Names and permission sets are pulp_container's (2.15), plus Sigil's for signing and trust.
 */
@ApplicationScoped
public class LockedRoles {

    public static final String REPOSITORY_CREATOR = "container.containerrepository_creator";
    public static final String REPOSITORY_OWNER = "container.containerrepository_owner";
    public static final String REPOSITORY_CONTENT_MANAGER = "container.containerrepository_content_manager";
    public static final String REPOSITORY_VIEWER = "container.containerrepository_viewer";
    public static final String DISTRIBUTION_CREATOR = "container.containerdistribution_creator";
    public static final String DISTRIBUTION_OWNER = "container.containerdistribution_owner";
    public static final String DISTRIBUTION_COLLABORATOR = "container.containerdistribution_collaborator";
    public static final String DISTRIBUTION_CONSUMER = "container.containerdistribution_consumer";
    public static final String NAMESPACE_CREATOR = "container.containernamespace_creator";
    public static final String NAMESPACE_OWNER = "container.containernamespace_owner";
    public static final String NAMESPACE_COLLABORATOR = "container.containernamespace_collaborator";
    public static final String NAMESPACE_CONSUMER = "container.containernamespace_consumer";
    public static final String REMOTE_CREATOR = "container.containerremote_creator";
    public static final String REMOTE_OWNER = "container.containerremote_owner";
    public static final String REMOTE_VIEWER = "container.containerremote_viewer";
    public static final String SIGNER = "sigil.signingservice_signer";
    public static final String TRUST_ADMIN = "sigil.trust_admin";

    private static final Logger LOG = Logger.getLogger(LockedRoles.class);

    private static final List<String> NAMESPACE_COLLABORATION = List.of(VIEW_NAMESPACE, NAMESPACE_ADD_DISTRIBUTION,
            NAMESPACE_DELETE_DISTRIBUTION, NAMESPACE_VIEW_DISTRIBUTION, NAMESPACE_PULL_DISTRIBUTION,
            NAMESPACE_PUSH_DISTRIBUTION, NAMESPACE_CHANGE_DISTRIBUTION, NAMESPACE_VIEW_PUSH_REPOSITORY,
            NAMESPACE_MODIFY_PUSH_REPOSITORY, NAMESPACE_CHANGE_PUSH_REPOSITORY);

    static final Map<String, List<String>> ROLES = roles();

    @Inject
    EntityManager em;

    private static Map<String, List<String>> roles() {
        Map<String, List<String>> roles = new LinkedHashMap<>();
        roles.put(REPOSITORY_CREATOR, List.of(ADD_REPOSITORY));
        roles.put(REPOSITORY_OWNER, List.of(VIEW_REPOSITORY, CHANGE_REPOSITORY, DELETE_REPOSITORY,
                DELETE_REPOSITORY_VERSIONS, SYNC_REPOSITORY, MODIFY_REPOSITORY_CONTENT, BUILD_IMAGE_REPOSITORY,
                MANAGE_ROLES_REPOSITORY));
        roles.put(REPOSITORY_CONTENT_MANAGER, List.of(VIEW_REPOSITORY, DELETE_REPOSITORY_VERSIONS, SYNC_REPOSITORY,
                MODIFY_REPOSITORY_CONTENT, BUILD_IMAGE_REPOSITORY));
        roles.put(REPOSITORY_VIEWER, List.of(VIEW_REPOSITORY));
        roles.put(DISTRIBUTION_CREATOR, List.of(ADD_DISTRIBUTION));
        roles.put(DISTRIBUTION_OWNER, List.of(VIEW_DISTRIBUTION, PULL_DISTRIBUTION, PUSH_DISTRIBUTION,
                DELETE_DISTRIBUTION, CHANGE_DISTRIBUTION, MANAGE_ROLES_DISTRIBUTION));
        roles.put(DISTRIBUTION_COLLABORATOR, List.of(VIEW_DISTRIBUTION, PULL_DISTRIBUTION, PUSH_DISTRIBUTION));
        roles.put(DISTRIBUTION_CONSUMER, List.of(VIEW_DISTRIBUTION, PULL_DISTRIBUTION));
        roles.put(NAMESPACE_CREATOR, List.of(ADD_NAMESPACE));
        List<String> owner = new java.util.ArrayList<>(NAMESPACE_COLLABORATION);
        owner.add(DELETE_NAMESPACE);
        owner.add(MANAGE_ROLES_NAMESPACE);
        roles.put(NAMESPACE_OWNER, List.copyOf(owner));
        roles.put(NAMESPACE_COLLABORATOR, NAMESPACE_COLLABORATION);
        roles.put(NAMESPACE_CONSUMER, List.of(VIEW_NAMESPACE, NAMESPACE_VIEW_DISTRIBUTION, NAMESPACE_PULL_DISTRIBUTION,
                NAMESPACE_VIEW_PUSH_REPOSITORY));
        roles.put(REMOTE_CREATOR, List.of(ADD_REMOTE));
        roles.put(REMOTE_OWNER, List.of(VIEW_REMOTE, CHANGE_REMOTE, DELETE_REMOTE, MANAGE_ROLES_REMOTE));
        roles.put(REMOTE_VIEWER, List.of(VIEW_REMOTE));
        roles.put(SIGNER, List.of(VIEW_SIGNING_SERVICE, SIGN_WITH_SIGNING_SERVICE));
        roles.put(TRUST_ADMIN, List.of(MANAGE_TRUST));
        return Map.copyOf(roles);
    }

    void onStart(@Observes @Priority(10) StartupEvent event) {
        sync();
    }

    /** Inserts missing locked roles and rewrites the permissions of existing ones; several processes may race. */
    @Transactional
    void sync() {
        Sql.with(em, sql -> {
            for (Map.Entry<String, List<String>> role : ROLES.entrySet()) {
                sql.update("INSERT INTO sigil_role (pulp_id, name, permissions, locked) VALUES (?, ?, ?, true) "
                                + "ON CONFLICT (name) DO UPDATE SET permissions = EXCLUDED.permissions, locked = true",
                        UUID.randomUUID(), role.getKey(), sql.texts(role.getValue()));
            }
            return null;
        });
        LOG.debugf("locked roles synced: %d", ROLES.size());
    }
}
