package io.sigil.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.common.Labels;
import io.sigil.auth.Access;
import io.sigil.auth.LockedRoles;
import io.sigil.auth.ObjectRef;
import io.sigil.auth.ObjectType;
import io.sigil.auth.Perm;
import io.sigil.auth.Permissions;
import io.sigil.auth.RoleViews;
import io.sigil.sync.Remote;
import io.sigil.sync.RemoteService;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/** Container remotes: upstream registries to sync from. Changes apply at once (a running sync keeps its snapshot). */
@Path(Remote.HREFS)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RemoteResource {

    @Inject
    RemoteService remotes;
    @Inject
    EntityManager em;
    @Inject
    RequestBodies bodies;

    @Inject
    Access access;
    @Inject
    ObjectRoleActions roleActions;
    @Inject
    Permissions permissions;

    @GET
    @Transactional
    @Operation(summary = "List the remotes the caller may view")
    public Page<RemoteViews.RemoteView> list(@BeanParam NameFilter names,
                                             @QueryParam("pulp_label_select") String labelSelect,
                                             @QueryParam("limit") String limit,
                                             @QueryParam("offset") String offset, @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        NameFilter.Query filter = names.query().labels(em, Labels.Table.REMOTE, labelSelect)
                .within(access.visibleIds(Perm.VIEW_REMOTE, ObjectType.REMOTE));
        var query = Remote.<Remote>find(filter.text(), filter.parameters());
        List<RemoteViews.RemoteView> results = query.range(page.offset(), page.offset() + page.limit() - 1).list()
                .stream().map(RemoteViews::of).toList();
        return Page.of(uri, page, query.count(), results);
    }

    @POST
    @ResponseStatus(201)
    @Transactional
    @Operation(summary = "Create a remote")
    public RemoteViews.RemoteView create(@RequestBody(content = @Content(schema = @Schema(implementation = RemoteViews.RemoteRequest.class)))
                                         JsonNode body) {
        bodies.bind(body, RemoteViews.RemoteRequest.class);
        access.requireGlobal(Perm.ADD_REMOTE, "create remotes");
        Remote created = remotes.create(body);
        access.makeOwner(LockedRoles.REMOTE_OWNER, ObjectRef.remote(created.pulpId));
        return RemoteViews.of(created);
    }

    @GET
    @Path("{id}/")
    @Transactional
    @Operation(summary = "Read a remote")
    public RemoteViews.RemoteView get(@PathParam("id") UUID id) {
        return RemoteViews.of(allowed(id, null, null));
    }

    @PATCH
    @Path("{id}/")
    @Operation(summary = "Change some fields of a remote")
    public RemoteViews.RemoteView patch(@PathParam("id") UUID id,
                                        @RequestBody(content = @Content(schema = @Schema(implementation = RemoteViews.RemoteRequest.class)))
                                        JsonNode body) {
        bodies.bind(body, RemoteViews.RemoteRequest.class);
        allowed(id, Perm.CHANGE_REMOTE, "change this remote");
        return RemoteViews.of(remotes.update(id, body));
    }

    @DELETE
    @Path("{id}/")
    @Operation(summary = "Delete a remote")
    public void delete(@PathParam("id") UUID id) {
        allowed(id, Perm.DELETE_REMOTE, "delete this remote");
        remotes.delete(id);
        permissions.forget(ObjectRef.remote(id));
    }

    @GET
    @Path("{id}/list_roles/")
    @Operation(operationId = "remotes_container_container_list_roles", summary = "List the roles held on this remote")
    public RoleViews.ObjectRoles listRoles(@PathParam("id") UUID id) {
        return roleActions.list(ref(id), visible(id), Perm.MANAGE_ROLES_REMOTE);
    }

    @POST
    @Path("{id}/add_role/")
    @Operation(operationId = "remotes_container_container_add_role", summary = "Give users or groups a role on this remote")
    @ResponseStatus(201)
    public RoleViews.RoleChange addRole(@PathParam("id") UUID id, RoleViews.RoleChange change) {
        return roleActions.add(ref(id), visible(id), Perm.MANAGE_ROLES_REMOTE, change);
    }

    @POST
    @Path("{id}/remove_role/")
    @Operation(operationId = "remotes_container_container_remove_role", summary = "Take a role on this remote from users or groups")
    @ResponseStatus(201)
    public RoleViews.RoleChange removeRole(@PathParam("id") UUID id, RoleViews.RoleChange change) {
        return roleActions.remove(ref(id), visible(id), Perm.MANAGE_ROLES_REMOTE, change);
    }

    @GET
    @Path("{id}/my_permissions/")
    @Operation(operationId = "remotes_container_container_my_permissions", summary = "The caller's permissions on this remote")
    public RoleViews.MyPermissions myPermissions(@PathParam("id") UUID id) {
        return roleActions.mine(ref(id), visible(id));
    }

    private ObjectRef ref(UUID id) {
        return ObjectRef.remote(remotes.get(id).pulpId);
    }

    private boolean visible(UUID id) {
        return access.grants(ObjectRef.remote(id)).has(Perm.VIEW_REMOTE, ObjectRef.remote(id));
    }

    Remote allowed(UUID id, String permission, String action) {
        Remote remote = remotes.get(id);
        access.require(ObjectRef.remote(remote.pulpId), Perm.VIEW_REMOTE, permission, action);
        return remote;
    }
}
