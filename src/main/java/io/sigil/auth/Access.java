package io.sigil.auth;

import io.sigil.common.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The permission checks of the current API request, for resources to call: each check either passes or throws the
 * answer Pulp gives (404 when the caller may not even see the object, 403 naming what is missing otherwise).
 */
@ApplicationScoped
public class Access {

    @Inject
    CurrentUser currentUser;
    @Inject
    Permissions permissions;

    public Caller caller() {
        return currentUser.caller();
    }

    public Grants grants(ObjectRef... objects) {
        return permissions.grants(caller(), List.of(objects));
    }

    /** 404 unless the caller may view {@code object}; then 403 unless they hold {@code permission} on it. */
    public void require(ObjectRef object, String view, String permission, String action) {
        require(grants(object), object, view, permission, action);
    }

    public void require(Grants grants, ObjectRef object, String view, String permission, String action) {
        if (!grants.has(view, object)) {
            throw notFound(object);
        }
        if (permission != null && !grants.has(permission, object)) {
            throw forbidden(action, permission);
        }
    }

    /** 403 unless the caller holds {@code permission} globally (roles given with {@code content_object: null}). */
    public void requireGlobal(String permission, String action) {
        if (!permissions.has(caller(), permission, null)) {
            throw forbidden(action, permission);
        }
    }

    /** The ids of {@code type} the caller may see through {@code view}; null when they may see every one. */
    public Set<String> visibleIds(String view, ObjectType type) {
        if (permissions.has(caller(), view, null)) {
            return null;
        }
        return permissions.objectIds(caller(), view, type);
    }

    /** The creation hook: the caller becomes {@code role} (an owner role) of what they just created. */
    public void makeOwner(String role, ObjectRef object) {
        permissions.grant(caller(), role, object);
    }

    public static ApiException forbidden(String action, String permission) {
        String detail = "You do not have permission to " + action + " (it needs " + permission + ").";
        return new ApiException(403, Map.of("detail", detail), detail);
    }

    public static ApiException notFound(ObjectRef object) {
        return ApiException.notFound("No " + object.type().label().substring(object.type().label().indexOf('.') + 1)
                + " matches the given query.");
    }
}
