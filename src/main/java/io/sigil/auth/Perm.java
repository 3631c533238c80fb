package io.sigil.auth;

/** Permission names ({@code app_label.codename}), as Pulp's container plugin spells them, plus Sigil's own. */
public final class Perm {

    public static final String ADD_REPOSITORY = "container.add_containerrepository";
    public static final String VIEW_REPOSITORY = "container.view_containerrepository";
    public static final String CHANGE_REPOSITORY = "container.change_containerrepository";
    public static final String DELETE_REPOSITORY = "container.delete_containerrepository";
    public static final String DELETE_REPOSITORY_VERSIONS = "container.delete_containerrepository_versions";
    public static final String SYNC_REPOSITORY = "container.sync_containerrepository";
    public static final String MODIFY_REPOSITORY_CONTENT = "container.modify_content_containerrepository";
    public static final String BUILD_IMAGE_REPOSITORY = "container.build_image_containerrepository";
    public static final String MANAGE_ROLES_REPOSITORY = "container.manage_roles_containerrepository";

    public static final String ADD_DISTRIBUTION = "container.add_containerdistribution";
    public static final String VIEW_DISTRIBUTION = "container.view_containerdistribution";
    public static final String PULL_DISTRIBUTION = "container.pull_containerdistribution";
    public static final String PUSH_DISTRIBUTION = "container.push_containerdistribution";
    public static final String CHANGE_DISTRIBUTION = "container.change_containerdistribution";
    public static final String DELETE_DISTRIBUTION = "container.delete_containerdistribution";
    public static final String MANAGE_ROLES_DISTRIBUTION = "container.manage_roles_containerdistribution";

    public static final String ADD_NAMESPACE = "container.add_containernamespace";
    public static final String VIEW_NAMESPACE = "container.view_containernamespace";
    public static final String DELETE_NAMESPACE = "container.delete_containernamespace";
    public static final String MANAGE_ROLES_NAMESPACE = "container.manage_roles_containernamespace";
    public static final String NAMESPACE_ADD_DISTRIBUTION = "container.namespace_add_containerdistribution";
    public static final String NAMESPACE_DELETE_DISTRIBUTION = "container.namespace_delete_containerdistribution";
    public static final String NAMESPACE_VIEW_DISTRIBUTION = "container.namespace_view_containerdistribution";
    public static final String NAMESPACE_PULL_DISTRIBUTION = "container.namespace_pull_containerdistribution";
    public static final String NAMESPACE_PUSH_DISTRIBUTION = "container.namespace_push_containerdistribution";
    public static final String NAMESPACE_CHANGE_DISTRIBUTION = "container.namespace_change_containerdistribution";
    public static final String NAMESPACE_VIEW_PUSH_REPOSITORY = "container.namespace_view_containerpushrepository";
    public static final String NAMESPACE_MODIFY_PUSH_REPOSITORY = "container.namespace_modify_content_containerpushrepository";
    public static final String NAMESPACE_CHANGE_PUSH_REPOSITORY = "container.namespace_change_containerpushrepository";

    public static final String ADD_REMOTE = "container.add_containerremote";
    public static final String VIEW_REMOTE = "container.view_containerremote";
    public static final String CHANGE_REMOTE = "container.change_containerremote";
    public static final String DELETE_REMOTE = "container.delete_containerremote";
    public static final String MANAGE_ROLES_REMOTE = "container.manage_roles_containerremote";

    public static final String VIEW_SIGNING_SERVICE = "sigil.view_signingservice";
    public static final String SIGN_WITH_SIGNING_SERVICE = "sigil.sign_signingservice";
    public static final String MANAGE_ROLES_SIGNING_SERVICE = "sigil.manage_roles_signingservice";

    /** Trusted keys, signature invalidation and the revocation list: global only. */
    public static final String MANAGE_TRUST = "sigil.manage_trust";

    private Perm() {
    }

    /** The namespace-level permission that covers {@code distributionPermission} for every distribution in a namespace. */
    public static String onNamespace(String distributionPermission) {
        return distributionPermission.replace("container.", "container.namespace_");
    }
}
