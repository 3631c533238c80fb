package io.sigil.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.auth.Access;
import io.sigil.auth.LockedRoles;
import io.sigil.auth.ObjectRef;
import io.sigil.auth.ObjectType;
import io.sigil.auth.Perm;
import io.sigil.auth.RoleViews;
import io.sigil.common.ApiException;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryService;
import io.sigil.repository.RepositoryTasks;
import io.sigil.repository.RepositoryVersion;
import io.sigil.signing.SignatureReports;
import io.sigil.signing.SigningTasks;
import io.sigil.tasks.TaskRef;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
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
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Container repositories and their versions. Every change is a task: the call answers 202 with its href. */
@Path("/pulp/api/v3/repositories/container/container/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RepositoryResource {

    @Inject
    RepositoryService repositories;
    @Inject
    RepositoryTasks tasks;
    @Inject
    SigningTasks signing;
    @Inject
    SignatureReports reports;
    @Inject
    Access access;
    @Inject
    ObjectRoleActions roleActions;

    public record RepositoryRequest(String name, String description, Integer retain_repo_versions) {
    }

    @GET
    @Transactional
    @Operation(summary = "List the repositories the caller may view")
    public Page<RepositoryViews.RepositoryView> list(@QueryParam("name") String name,
                                                     @QueryParam("name__contains") String nameContains,
                                                     @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                                     @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        Set<UUID> visible = visibleIds(access.visibleIds(Perm.VIEW_REPOSITORY, ObjectType.REPOSITORY));
        String scope = visible == null ? "" : " and pulpId in :visible";
        Map<String, Object> params = new HashMap<>();
        if (visible != null) {
            params.put("visible", visible);
        }
        String filter = "true";
        if (name != null) {
            filter = "name = :name";
            params.put("name", name);
        } else if (nameContains != null) {
            filter = "name like :contains";
            params.put("contains", "%" + nameContains + "%");
        }
        var query = Repository.<Repository>find(filter + scope + " order by id", params);
        List<RepositoryViews.RepositoryView> results = query.range(page.offset(), page.offset() + page.limit() - 1).list()
                .stream().map(RepositoryViews::of).toList();
        return Page.of(uri, page, query.count(), results);
    }

    @POST
    @Operation(summary = "Create a repository (with its empty version 0)")
    @Transactional
    public Response create(RepositoryRequest request) {
        access.requireGlobal(Perm.ADD_REPOSITORY, "create repositories");
        if (request == null) {
            throw ApiException.badRequest("a JSON body with at least a name is required");
        }
        Repository repository = repositories.create(request.name(), request.description(), request.retain_repo_versions());
        access.makeOwner(LockedRoles.REPOSITORY_OWNER, ObjectRef.repository(repository.pulpId));
        return Response.status(201).entity(RepositoryViews.of(repository)).build();
    }

    @GET
    @Path("{id}/")
    @Transactional
    @Operation(summary = "Read a repository")
    public RepositoryViews.RepositoryView get(@PathParam("id") UUID id) {
        return RepositoryViews.of(allowed(id, null, null));
    }

    @PATCH
    @Path("{id}/")
    @Operation(summary = "Update a repository's name, description or retention (a task)")
    public Response update(@PathParam("id") UUID id, JsonNode body) {
        allowed(id, Perm.CHANGE_REPOSITORY, "change this repository");
        return accepted(tasks.update(id, body));
    }

    @DELETE
    @Path("{id}/")
    @Operation(summary = "Delete a repository and its versions (a task)")
    public Response delete(@PathParam("id") UUID id) {
        return accepted(tasks.delete(allowed(id, Perm.DELETE_REPOSITORY, "delete this repository")));
    }

    @GET
    @Path("{id}/versions/")
    @Transactional
    @Operation(summary = "List a repository's versions, newest first")
    public Page<RepositoryViews.VersionView> versions(@PathParam("id") UUID id, @QueryParam("number") Integer number,
                                                      @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                                      @Context UriInfo uri) {
        Repository repository = allowed(id, null, null);
        PageRequest page = PageRequest.of(limit, offset);
        var query = number == null
                ? RepositoryVersion.<RepositoryVersion>find("repository.id = ?1 order by number desc", repository.id)
                : RepositoryVersion.<RepositoryVersion>find("repository.id = ?1 and number = ?2", repository.id, number);
        List<RepositoryViews.VersionView> results = query.range(page.offset(), page.offset() + page.limit() - 1).list()
                .stream().map(v -> RepositoryViews.of(repository, v)).toList();
        return Page.of(uri, page, query.count(), results);
    }

    @GET
    @Path("{id}/versions/{number}/")
    @Transactional
    @Operation(summary = "Read a repository version")
    public RepositoryViews.VersionView version(@PathParam("id") UUID id, @PathParam("number") int number) {
        return RepositoryViews.of(allowed(id, null, null), repositories.version(id, number));
    }

    @DELETE
    @Path("{id}/versions/{number}/")
    @Operation(summary = "Delete a version other than the latest (a task)")
    public Response deleteVersion(@PathParam("id") UUID id, @PathParam("number") int number) {
        Repository repository = allowed(id, Perm.DELETE_REPOSITORY_VERSIONS, "delete versions of this repository");
        repositories.version(id, number);
        return accepted(tasks.deleteVersion(repository, number));
    }

    @POST
    @Path("{id}/modify/")
    @Operation(summary = "Add and remove content units in one new version (a task)")
    public Response modify(@PathParam("id") UUID id, RepositoryTasks.ModifyRequest request) {
        return accepted(tasks.modify(allowed(id, Perm.MODIFY_REPOSITORY_CONTENT, "change the content of this repository"), request));
    }

    @POST
    @Path("{id}/copy_tags/")
    @Operation(summary = "Copy tags (with their manifests and signatures) from another repository version (a task)")
    public Response copyTags(@PathParam("id") UUID id, RepositoryTasks.CopyRequest request) {
        return accepted(tasks.copy(copyTarget(id, request), request, true));
    }

    @POST
    @Path("{id}/copy_manifests/")
    @Operation(summary = "Copy manifests (with their signatures) from another repository version (a task)")
    public Response copyManifests(@PathParam("id") UUID id, RepositoryTasks.CopyRequest request) {
        return accepted(tasks.copy(copyTarget(id, request), request, false));
    }

    @POST
    @Path("{id}/sign/")
    @Operation(summary = "Sign the tagged manifests of the latest version (and the children of lists) as <reference>:<tag> "
            + "with a signing service, adding the signatures in one new version (a task); already signed ones are skipped")
    public Response sign(@PathParam("id") UUID id, SigningTasks.SignRequest request) {
        return accepted(signing.sign(allowed(id, Perm.MODIFY_REPOSITORY_CONTENT, "sign content in this repository"), request, access.caller()));
    }

    @GET
    @Path("{id}/versions/{number}/signature_report/")
    @Operation(summary = "For each tag of a version: its manifest (and a list's children), their signatures with verdicts, "
            + "and whether each signature names reference:tag (exact), the same repository (repository) or not (other); "
            + "reference defaults to the repository name")
    public Page<SigningViews.TagReportView> signatureReport(@PathParam("id") UUID id, @PathParam("number") int number,
                                                            @QueryParam("reference") String reference,
                                                            @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                                            @Context UriInfo uri) {
        allowed(id, null, null);
        PageRequest page = PageRequest.of(limit, offset);
        SignatureReports.Report report = reports.report(id, number, reference, page.limit(), page.offset());
        return Page.of(uri, page, report.count(), report.tags().stream().map(SigningViews.TagReportView::of).toList());
    }

    @GET
    @Path("{id}/list_roles/")
    @Operation(operationId = "repositories_container_container_list_roles", summary = "List the roles held on this repository")
    public RoleViews.ObjectRoles listRoles(@PathParam("id") UUID id) {
        return roleActions.list(ref(id), visible(id), Perm.MANAGE_ROLES_REPOSITORY);
    }

    @POST
    @Path("{id}/add_role/")
    @Operation(operationId = "repositories_container_container_add_role", summary = "Give users or groups a role on this repository")
    public Response addRole(@PathParam("id") UUID id, RoleViews.RoleChange change) {
        return roleActions.add(ref(id), visible(id), Perm.MANAGE_ROLES_REPOSITORY, change);
    }

    @POST
    @Path("{id}/remove_role/")
    @Operation(operationId = "repositories_container_container_remove_role", summary = "Take a role on this repository from users or groups")
    public Response removeRole(@PathParam("id") UUID id, RoleViews.RoleChange change) {
        return roleActions.remove(ref(id), visible(id), Perm.MANAGE_ROLES_REPOSITORY, change);
    }

    @GET
    @Path("{id}/my_permissions/")
    @Operation(operationId = "repositories_container_container_my_permissions", summary = "The caller's permissions on this repository")
    public RoleViews.MyPermissions myPermissions(@PathParam("id") UUID id) {
        return roleActions.mine(ref(id), visible(id));
    }

    private ObjectRef ref(UUID id) {
        return ObjectRef.repository(repositories.get(id).pulpId);
    }

    private boolean visible(UUID id) {
        return access.grants(ObjectRef.repository(id)).has(Perm.VIEW_REPOSITORY, ObjectRef.repository(id));
    }

    /** The repository, if the caller may view it (else 404) and holds {@code permission} on it (else 403). */
    Repository allowed(UUID id, String permission, String action) {
        Repository repository = repositories.get(id);
        access.require(ObjectRef.repository(repository.pulpId), Perm.VIEW_REPOSITORY, permission, action);
        return repository;
    }

    /** Copying needs content rights on the target and sight of the source: it must not read what the caller cannot. */
    private Repository copyTarget(UUID id, RepositoryTasks.CopyRequest request) {
        Repository target = allowed(id, Perm.MODIFY_REPOSITORY_CONTENT, "change the content of this repository");
        String source = request == null ? null
                : request.source_repository() != null ? request.source_repository() : request.source_repository_version();
        ObjectRef.parse(source == null ? null : source.replaceFirst("versions/\\d+/$", ""))
                .filter(ref -> ref.type() == ObjectType.REPOSITORY)
                .ifPresent(ref -> access.require(ref, Perm.VIEW_REPOSITORY, null, null));
        return target;
    }

    private static Set<UUID> visibleIds(Set<String> ids) {
        if (ids == null) {
            return null;
        }
        Set<UUID> uuids = new HashSet<>();
        uuids.add(new UUID(0, 0)); // never empty: an empty IN list is not valid everywhere
        ids.forEach(id -> uuids.add(UUID.fromString(id)));
        return uuids;
    }

    static Response accepted(TaskRef task) {
        return Response.status(202).entity(Map.of("task", task.href())).build();
    }
}
