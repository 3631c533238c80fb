package io.sigil.api;

import io.sigil.auth.Access;
import io.sigil.auth.Grants;
import io.sigil.auth.ObjectRef;
import io.sigil.auth.RoleService;
import io.sigil.auth.RoleViews;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The four role actions every object with roles has ({@code list_roles/}, {@code add_role/}, {@code remove_role/},
 * {@code my_permissions/}), once for all resources. The resource has already found the object and says whether the
 * caller may see it and which permission manages its roles.
 */
@ApplicationScoped
class ObjectRoleActions {

    @Inject
    Access access;
    @Inject
    RoleService roles;

    RoleViews.ObjectRoles list(ObjectRef object, boolean visible, String manage) {
        requireManage(object, visible, manage);
        return roles.objectRoles(object);
    }

    RoleViews.RoleChange add(ObjectRef object, boolean visible, String manage, RoleViews.RoleChange change) {
        requireManage(object, visible, manage);
        return roles.addRole(object, orEmpty(change));
    }

    RoleViews.RoleChange remove(ObjectRef object, boolean visible, String manage, RoleViews.RoleChange change) {
        requireManage(object, visible, manage);
        return roles.removeRole(object, orEmpty(change));
    }

    RoleViews.MyPermissions mine(ObjectRef object, boolean visible) {
        if (!visible) {
            throw Access.notFound(object);
        }
        Grants grants = access.grants(object);
        return new RoleViews.MyPermissions(List.copyOf(grants.on(object)));
    }

    private void requireManage(ObjectRef object, boolean visible, String manage) {
        if (!visible) {
            throw Access.notFound(object);
        }
        if (!access.grants(object).has(manage, object)) {
            throw Access.forbidden("manage the roles of this object", manage);
        }
    }

    private static RoleViews.RoleChange orEmpty(RoleViews.RoleChange change) {
        return change == null ? new RoleViews.RoleChange(null, null, null) : change;
    }
}
