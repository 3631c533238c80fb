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

/** {@code /pulp/api/v3/groups/}: groups, their members and the roles they hold (members hold them too). Admins only. */
@Path(RoleViews.GROUPS)
@Authorized(AccessLevel.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class GroupsResource {

    @Inject
    RoleService roles;

    @GET
    @Operation(operationId = "groups_list", summary = "List groups")
    public Page<RoleViews.GroupView> list(@QueryParam("name") String name, @QueryParam("limit") String limit,
                                          @QueryParam("offset") String offset, @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        RoleViews.Page<RoleViews.GroupView> found = roles.listGroups(name, page.limit(), page.offset());
        return Page.of(uri, page, found.count(), found.results());
    }

    @POST
    @Operation(operationId = "groups_create", summary = "Create a group")
    @ResponseStatus(201)
    public RoleViews.GroupView create(RoleViews.GroupRequest request) {
        return roles.saveGroup(null, request == null ? null : request.name());
    }

    @GET
    @Path("{id}/")
    @Operation(operationId = "groups_read", summary = "Read a group")
    public RoleViews.GroupView get(@PathParam("id") UUID id) {
        return roles.group(id);
    }

    @PUT
    @Path("{id}/")
    @Operation(operationId = "groups_update", summary = "Rename a group")
    public RoleViews.GroupView replace(@PathParam("id") UUID id, RoleViews.GroupRequest request) {
        return roles.saveGroup(id, request == null ? null : request.name());
    }

    @PATCH
    @Path("{id}/")
    @Operation(operationId = "groups_partial_update", summary = "Rename a group")
    public RoleViews.GroupView update(@PathParam("id") UUID id, RoleViews.GroupRequest request) {
        return roles.saveGroup(id, request == null || request.name() == null ? roles.group(id).name() : request.name());
    }

    @DELETE
    @Path("{id}/")
    @Operation(operationId = "groups_delete", summary = "Delete a group (its members lose the roles it held)")
    public void delete(@PathParam("id") UUID id) {
        roles.deleteGroup(id);
    }

    @GET
    @Path("{id}/users/")
    @Operation(operationId = "groups_users_list", summary = "List the members of a group")
    public Page<RoleViews.GroupUserView> members(@PathParam("id") UUID id, @QueryParam("limit") String limit,
                                                 @QueryParam("offset") String offset, @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        RoleViews.Page<RoleViews.GroupUserView> found = roles.members(id, page.limit(), page.offset());
        return Page.of(uri, page, found.count(), found.results());
    }

    @POST
    @Path("{id}/users/")
    @Operation(operationId = "groups_users_create", summary = "Add a user to a group")
    @ResponseStatus(201)
    public RoleViews.GroupUserView addMember(@PathParam("id") UUID id, RoleViews.GroupUserRequest request) {
        return roles.addMember(id, request == null ? null : request.username());
    }

    @DELETE
    @Path("{id}/users/{user}/")
    @Operation(operationId = "groups_users_delete", summary = "Remove a user from a group")
    public void removeMember(@PathParam("id") UUID id, @PathParam("user") UUID user) {
        roles.removeMember(id, user);
    }

    @GET
    @Path("{id}/roles/")
    @Operation(operationId = "groups_roles_list", summary = "List the roles a group holds")
    public Page<RoleViews.AssignmentView> roles(@PathParam("id") UUID id, @QueryParam("role") String role,
                                                @QueryParam("content_object") String contentObject,
                                                @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                                @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        RoleViews.Page<RoleViews.AssignmentView> found = roles.assignments(roles.groupHolder(id), role, contentObject,
                page.limit(), page.offset());
        return Page.of(uri, page, found.count(), found.results());
    }

    @POST
    @Path("{id}/roles/")
    @Operation(operationId = "groups_roles_create", summary = "Give a group a role, globally (content_object null) or on one object")
    @ResponseStatus(201)
    public RoleViews.AssignmentView assign(@PathParam("id") UUID id, RoleViews.AssignmentRequest request) {
        return roles.assign(roles.groupHolder(id), UserRolesResource.orEmpty(request));
    }

    @GET
    @Path("{id}/roles/{assignment}/")
    @Operation(operationId = "groups_roles_read", summary = "Read one role a group holds")
    public RoleViews.AssignmentView assignment(@PathParam("id") UUID id, @PathParam("assignment") UUID assignment) {
        return roles.assignment(roles.groupHolder(id), assignment);
    }

    @DELETE
    @Path("{id}/roles/{assignment}/")
    @Operation(operationId = "groups_roles_delete", summary = "Take a role from a group")
    public void unassign(@PathParam("id") UUID id, @PathParam("assignment") UUID assignment) {
        roles.unassign(roles.groupHolder(id), assignment);
    }
}
