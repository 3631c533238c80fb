package io.sigil.api;

import io.sigil.auth.AccessLevel;
import io.sigil.auth.Authorized;
import io.sigil.auth.RoleService;
import io.sigil.auth.RoleViews;
import jakarta.inject.Inject;
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
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseStatus;

/** {@code /pulp/api/v3/users/<id>/roles/}: the roles a user holds, globally or on one object. Admins only. */
@Path("/pulp/api/v3/users/{id}/roles/")
@Authorized(AccessLevel.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UserRolesResource {

    @Inject
    RoleService roles;

    @GET
    @Operation(operationId = "users_roles_list", summary = "List the roles a user holds")
    public Page<RoleViews.AssignmentView> list(@PathParam("id") UUID id, @QueryParam("role") String role,
                                               @QueryParam("content_object") String contentObject,
                                               @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                               @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        RoleViews.Page<RoleViews.AssignmentView> found = roles.assignments(roles.userHolder(id), role, contentObject,
                page.limit(), page.offset());
        return Page.of(uri, page, found.count(), found.results());
    }

    @POST
    @Operation(operationId = "users_roles_create", summary = "Give a user a role, globally (content_object null) or on one object")
    @ResponseStatus(201)
    public RoleViews.AssignmentView assign(@PathParam("id") UUID id, RoleViews.AssignmentRequest request) {
        return roles.assign(roles.userHolder(id), orEmpty(request));
    }

    @GET
    @Path("{assignment}/")
    @Operation(operationId = "users_roles_read", summary = "Read one role a user holds")
    public RoleViews.AssignmentView get(@PathParam("id") UUID id, @PathParam("assignment") UUID assignment) {
        return roles.assignment(roles.userHolder(id), assignment);
    }

    @DELETE
    @Path("{assignment}/")
    @Operation(operationId = "users_roles_delete", summary = "Take a role from a user (their registry tokens lose it at once)")
    public void unassign(@PathParam("id") UUID id, @PathParam("assignment") UUID assignment) {
        roles.unassign(roles.userHolder(id), assignment);
    }

    static RoleViews.AssignmentRequest orEmpty(RoleViews.AssignmentRequest request) {
        return request == null ? new RoleViews.AssignmentRequest(null, null, null) : request;
    }
}
