package io.sigil.api;

import io.sigil.auth.AccessLevel;
import io.sigil.auth.Authorized;
import io.sigil.auth.RoleService;
import io.sigil.auth.RoleViews;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseStatus;

/** {@code /pulp/api/v3/roles/}: named permission sets. Anyone signed in may read them; only admins write; locked ones never change. */
@Path(RoleViews.ROLES)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RolesResource {

    @Inject
    RoleService roles;

    @GET
    @Operation(operationId = "roles_list", summary = "List roles")
    public Page<RoleViews.RoleView> list(@QueryParam("name") String name, @QueryParam("name__contains") String contains,
                                         @QueryParam("name__icontains") String icontains,
                                         @QueryParam("name__startswith") String startswith,
                                         @QueryParam("locked") Boolean locked,
                                         @QueryParam("contains_permission") String containsPermission,
                                         @QueryParam("for_object_type") String forObjectType,
                                         @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                         @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        RoleViews.Page<RoleViews.RoleView> found = roles.listRoles(new RoleService.RoleFilter(name, contains, icontains,
                startswith, locked, containsPermission, forObjectType), page.limit(), page.offset());
        return Page.of(uri, page, found.count(), found.results());
    }

    @POST
    @Authorized(AccessLevel.ADMIN)
    @Operation(operationId = "roles_create", summary = "Create a role")
    @ResponseStatus(201)
    public RoleViews.RoleView create(RoleViews.RoleRequest request) {
        return roles.createRole(orEmpty(request));
    }

    @GET
    @Path("{id}/")
    @Operation(operationId = "roles_read", summary = "Read a role")
    public RoleViews.RoleView get(@PathParam("id") UUID id) {
        return roles.role(id);
    }

    @PUT
    @Path("{id}/")
    @Authorized(AccessLevel.ADMIN)
    @Operation(operationId = "roles_update", summary = "Replace a role (not a locked one)")
    public RoleViews.RoleView replace(@PathParam("id") UUID id, RoleViews.RoleRequest request) {
        return roles.updateRole(id, orEmpty(request), false);
    }

    @PATCH
    @Path("{id}/")
    @Authorized(AccessLevel.ADMIN)
    @Operation(operationId = "roles_partial_update", summary = "Change a role (not a locked one)")
    public RoleViews.RoleView update(@PathParam("id") UUID id, RoleViews.RoleRequest request) {
        return roles.updateRole(id, orEmpty(request), true);
    }

    @DELETE
    @Path("{id}/")
    @Authorized(AccessLevel.ADMIN)
    @Operation(operationId = "roles_delete", summary = "Delete a role (not a locked one) and its assignments")
    public void delete(@PathParam("id") UUID id) {
        roles.deleteRole(id);
    }

    private static RoleViews.RoleRequest orEmpty(RoleViews.RoleRequest request) {
        return request == null ? new RoleViews.RoleRequest(null, null, null) : request;
    }
}
