package io.sigil.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sigil.auth.Access;
import io.sigil.auth.Caller;
import io.sigil.auth.Namespaces;
import io.sigil.auth.ObjectRef;
import io.sigil.auth.ObjectType;
import io.sigil.auth.Perm;
import io.sigil.auth.Permissions;
import io.sigil.auth.RoleViews;
import io.sigil.common.ApiException;
import io.sigil.registry.Distribution;
import io.sigil.registry.DistributionService;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseStatus;

/**
 * Container namespaces ({@code pulp_container/namespaces/}): the first segment of base paths, which roles can cover
 * as a whole. Whoever creates one (or pushes first into it) owns it.
 */
@Path("/pulp/api/v3/pulp_container/namespaces/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class NamespaceResource {

    @Inject
    Namespaces namespaces;
    @Inject
    Permissions permissions;
    @Inject
    Access access;
    @Inject
    ObjectRoleActions roleActions;

    public record NamespaceView(@JsonProperty("pulp_href") String pulpHref,
                                @JsonProperty("pulp_created") OffsetDateTime pulpCreated, String name) {
        static NamespaceView of(Namespaces.Namespace n) {
            return new NamespaceView(n.ref().href(), n.created(), n.name());
        }
    }

    public record NamespaceRequest(String name) {
    }

    @GET
    @Operation(operationId = "pulp_container_namespaces_list", summary = "List the namespaces the caller may view")
    public Page<NamespaceView> list(@QueryParam("name") String name, @QueryParam("limit") String limit,
                                    @QueryParam("offset") String offset, @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        Set<String> visible = access.visibleIds(Perm.VIEW_NAMESPACE, ObjectType.NAMESPACE);
        return Page.of(uri, page, namespaces.countVisible(name, visible),
                namespaces.list(name, visible, page.limit(), page.offset()).stream().map(NamespaceView::of).toList());
    }

    @POST
    @Transactional
    @Operation(operationId = "pulp_container_namespaces_create", summary = "Create a namespace; the caller owns it")
    @ResponseStatus(201)
    public NamespaceView create(NamespaceRequest request) {
        String name = request == null ? null : request.name();
        if (name == null || name.isBlank()) {
            throw ApiException.field("name", "This field is required.");
        }
        if (name.contains("/") || !DistributionService.isValidBasePath(name)) {
            throw ApiException.field("name", "a namespace is one base-path segment: lower-case letters, digits and . _ -");
        }
        if (namespaces.find(name).isPresent()) {
            throw ApiException.field("name", "container namespace with this name already exists.");
        }
        Caller caller = access.caller();
        return NamespaceView.of(namespaces.claim(name, caller, permissions));
    }

    @GET
    @Path("{id}/")
    @Operation(operationId = "pulp_container_namespaces_read", summary = "Read a namespace")
    public NamespaceView get(@PathParam("id") UUID id) {
        return NamespaceView.of(allowed(id, null, null));
    }

    @DELETE
    @Path("{id}/")
    @Transactional
    @Operation(operationId = "pulp_container_namespaces_delete", summary = "Delete an empty namespace")
    public void delete(@PathParam("id") UUID id) {
        Namespaces.Namespace namespace = allowed(id, Perm.DELETE_NAMESPACE, "delete this namespace");
        long inside = Distribution.count("basePath = ?1 or basePath like ?2", namespace.name(), namespace.name() + "/%");
        if (inside > 0) {
            throw ApiException.badRequest("namespace " + namespace.name() + " still holds " + inside
                    + " distribution(s): delete them first");
        }
        namespaces.delete(namespace, permissions);
    }

    @GET
    @Path("{id}/list_roles/")
    @Operation(operationId = "pulp_container_namespaces_list_roles", summary = "List the roles held on this namespace")
    public RoleViews.ObjectRoles listRoles(@PathParam("id") UUID id) {
        return roleActions.list(ref(id), visible(id), Perm.MANAGE_ROLES_NAMESPACE);
    }

    @POST
    @Path("{id}/add_role/")
    @Operation(operationId = "pulp_container_namespaces_add_role", summary = "Give users or groups a role on this namespace")
    @ResponseStatus(201)
    public RoleViews.RoleChange addRole(@PathParam("id") UUID id, RoleViews.RoleChange change) {
        return roleActions.add(ref(id), visible(id), Perm.MANAGE_ROLES_NAMESPACE, change);
    }

    @POST
    @Path("{id}/remove_role/")
    @Operation(operationId = "pulp_container_namespaces_remove_role", summary = "Take a role on this namespace from users or groups")
    @ResponseStatus(201)
    public RoleViews.RoleChange removeRole(@PathParam("id") UUID id, RoleViews.RoleChange change) {
        return roleActions.remove(ref(id), visible(id), Perm.MANAGE_ROLES_NAMESPACE, change);
    }

    @GET
    @Path("{id}/my_permissions/")
    @Operation(operationId = "pulp_container_namespaces_my_permissions", summary = "The caller's permissions on this namespace")
    public RoleViews.MyPermissions myPermissions(@PathParam("id") UUID id) {
        return roleActions.mine(ref(id), visible(id));
    }

    private ObjectRef ref(UUID id) {
        return find(id).ref();
    }

    private boolean visible(UUID id) {
        return access.grants(ObjectRef.namespace(id)).has(Perm.VIEW_NAMESPACE, ObjectRef.namespace(id));
    }

    private Namespaces.Namespace find(UUID id) {
        return namespaces.get(id).orElseThrow(() -> ApiException.notFound("No container namespace matches the given query."));
    }

    private Namespaces.Namespace allowed(UUID id, String permission, String action) {
        Namespaces.Namespace namespace = find(id);
        access.require(namespace.ref(), Perm.VIEW_NAMESPACE, permission, action);
        return namespace;
    }
}
