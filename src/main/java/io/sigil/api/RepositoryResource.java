package io.sigil.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.auth.Access;
import io.sigil.auth.LockedRoles;
import io.sigil.auth.ObjectRef;
import io.sigil.auth.ObjectType;
import io.sigil.auth.Perm;
import io.sigil.auth.RoleViews;
import io.sigil.common.ApiException;
import io.sigil.common.Labels;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryService;
import io.sigil.repository.RepositoryTasks;
import io.sigil.repository.RepositoryVersion;
import io.sigil.common.ContentOrigin;
import io.sigil.registry.DistributionService;
import io.sigil.signing.SignatureReports;
import io.sigil.signing.SigningTasks;
import io.sigil.sync.RemoteService;
import io.sigil.tasks.TaskRef;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
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
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.resteasy.reactive.ResponseStatus;

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
    DistributionService distributions;
    @Inject
    ContentOrigin origin;
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

    /** The longest description kept: a paragraph or a page, not a payload. */
    static final int MAX_DESCRIPTION = 65_536;

    /** {@code remote}: the href of the remote a sync without one uses. */
    public record RepositoryRequest(
            @NotNull(message = "This field is required.") @Pattern(regexp = RepositoryService.NAME_REGEX, message = RepositoryService.NAME_RULE) String name,
            @Size(max = MAX_DESCRIPTION, message = "Ensure this field has no more than {max} characters.") String description,
            @Min(value = 1, message = "Must be at least 1, or null to keep every version.") Integer retain_repo_versions,
            String remote, Map<String, String> pulp_labels) {
    }

    /** A PATCH: the same fields, all optional; {@code retain_repo_versions: null} keeps every version again. */
    public record RepositoryPatch(
            @Pattern(regexp = RepositoryService.NAME_REGEX, message = RepositoryService.NAME_RULE) String name,
            @Size(max = MAX_DESCRIPTION, message = "Ensure this field has no more than {max} characters.") String description,
            @Min(value = 1, message = "Must be at least 1, or null to keep every version.") Integer retain_repo_versions,
            String remote, Map<String, String> pulp_labels) {
    }

    @GET
    @Transactional
    @Operation(summary = "List the repositories the caller may view")
    public Page<RepositoryViews.RepositoryView> list(@BeanParam NameFilter names,
                                                     @QueryParam("remote") String remote,
                                                     @QueryParam("pulp_label_select") String labelSelect,
                                                     @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                                     @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        NameFilter.Query filter = names.query()
                .and("remoteId = :remote", "remote", remote == null ? null : remotes.byHref("remote", remote).pulpId)
                .labels(em, Labels.Table.REPOSITORY, labelSelect)
                .within(access.visibleIds(Perm.VIEW_REPOSITORY, ObjectType.REPOSITORY));
        var query = Repository.<Repository>find(filter.text(), filter.parameters());
        List<RepositoryViews.RepositoryView> results = query.range(page.offset(), page.offset() + page.limit() - 1).list()
                .stream().map(RepositoryViews::of).toList();
        return Page.of(uri, page, query.count(), results);
    }

    @POST
    @ResponseStatus(201)
    @Operation(summary = "Create a repository (with its empty version 0)")
    @Transactional
    public RepositoryViews.RepositoryView create(@Valid @NotNull(message = "A JSON object is required.") RepositoryRequest request) {
        access.requireGlobal(Perm.ADD_REPOSITORY, "create repositories");
        Labels.check("pulp_labels", request.pulp_labels() == null ? Map.of() : request.pulp_labels());
        Repository repository = repositories.create(request.name(), request.description(), request.retain_repo_versions(),
                request.remote() == null ? null : usableRemote(request.remote()), request.pulp_labels());
        access.makeOwner(LockedRoles.REPOSITORY_OWNER, ObjectRef.repository(repository.pulpId));
        return RepositoryViews.of(repository);
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
    @ResponseStatus(202)
    @Operation(summary = "Update a repository's name, description or retention (a task)")
    public AsyncOperationResponse update(@PathParam("id") UUID id,
                                         @RequestBody(content = @Content(schema = @Schema(implementation = RepositoryPatch.class))) JsonNode body) {
        allowed(id, Perm.CHANGE_REPOSITORY, "change this repository");
        bodies.bind(body, RepositoryPatch.class);
        if (body instanceof ObjectNode fields && fields.hasNonNull("remote")) { // the task stores the remote's id
            fields.put("remote", usableRemote(fields.get("remote").asText()).toString());
        }
        return accepted(tasks.update(id, body));
    }

    @DELETE
    @Path("{id}/")
    @ResponseStatus(202)
    @Operation(summary = "Delete a repository and its versions (a task)")
    public AsyncOperationResponse delete(@PathParam("id") UUID id) {
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
    @ResponseStatus(202)
    @Operation(summary = "Delete a version other than the latest (a task)")
    public AsyncOperationResponse deleteVersion(@PathParam("id") UUID id, @PathParam("number") int number) {
        Repository repository = allowed(id, Perm.DELETE_REPOSITORY_VERSIONS, "delete versions of this repository");
        repositories.version(id, number);
        return accepted(tasks.deleteVersion(repository, number));
    }

    @POST
    @Path("{id}/modify/")
    @ResponseStatus(202)
    @Operation(summary = "Add and remove content units in one new version (a task)")
    public AsyncOperationResponse modify(@PathParam("id") UUID id, @Valid @NotNull(message = "A JSON object is required.") RepositoryTasks.ModifyRequest request) {
        return accepted(tasks.modify(allowed(id, Perm.MODIFY_REPOSITORY_CONTENT, "change the content of this repository"), request));
    }

    @POST
    @Path("{id}/copy_tags/")
    @ResponseStatus(202)
    @Operation(summary = "Copy tags (with their manifests and signatures) from another repository version (a task)")
    public AsyncOperationResponse copyTags(@PathParam("id") UUID id, @Valid @NotNull(message = "A JSON object is required.") RepositoryTasks.CopyRequest request) {
        return accepted(tasks.copy(copyTarget(id, request), request, true));
    }

    @POST
    @Path("{id}/copy_manifests/")
    @ResponseStatus(202)
    @Operation(summary = "Copy manifests (with their signatures) from another repository version (a task)")
    public AsyncOperationResponse copyManifests(@PathParam("id") UUID id, @Valid @NotNull(message = "A JSON object is required.") RepositoryTasks.CopyRequest request) {
        return accepted(tasks.copy(copyTarget(id, request), request, false));
    }

    @POST
    @Path("{id}/sign/")
    @ResponseStatus(202)
    @Operation(summary = "Sign the tagged manifests of the latest version (and the children of lists) as <reference>:<tag> "
            + "with a signing service, adding the signatures in one new version (a task); already signed ones are skipped")
    public AsyncOperationResponse sign(@PathParam("id") UUID id, @Valid @NotNull(message = "A JSON object is required.") SigningTasks.SignRequest request) {
        return accepted(signing.sign(allowed(id, Perm.MODIFY_REPOSITORY_CONTENT, "sign content in this repository"),
                withDefaultReference(id, request), access.caller()));
    }

    /** Without a reference: as Pulp, the one distribution's path, under the content origin (never the request's Host). */
    private SigningTasks.SignRequest withDefaultReference(UUID id, SigningTasks.SignRequest request) {
        if (request.reference() != null && !request.reference().isBlank()) {
            return request;
        }
        return distributions.onlyBasePathServing(id).map(path -> new SigningTasks.SignRequest(request.signing_service(),
                origin.host() + "/" + path, request.tags(), request.content_units())).orElse(request);
    }

    @GET
    @Path("{id}/versions/{number}/signature_report/")
    @Operation(summary = "For each tag of a version: its manifest (and a list's children), their signatures with verdicts, "
            + "and whether each signature names reference:tag (exact), the same repository (repository) or not (other); "
            + "reference defaults to <content origin host>/<base path of the one distribution serving the repository, "
            + "else its name>")
    public Page<SigningViews.TagReportView> signatureReport(@PathParam("id") UUID id, @PathParam("number") int number,
                                                            @QueryParam("reference") String reference,
                                                            @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                                            @Context UriInfo uri) {
        allowed(id, null, null);
        PageRequest page = PageRequest.of(limit, offset);
        String repository = reference == null || reference.isBlank()
                ? origin.host() + "/" + distributions.onlyBasePathServing(id).orElseGet(() -> repositories.get(id).name)
                : reference;
        SignatureReports.Report report = reports.report(id, number, repository, page.limit(), page.offset());
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
    @ResponseStatus(201)
    public RoleViews.RoleChange addRole(@PathParam("id") UUID id, RoleViews.RoleChange change) {
        return roleActions.add(ref(id), visible(id), Perm.MANAGE_ROLES_REPOSITORY, change);
    }

    @POST
    @Path("{id}/remove_role/")
    @Operation(operationId = "repositories_container_container_remove_role", summary = "Take a role on this repository from users or groups")
    @ResponseStatus(201)
    public RoleViews.RoleChange removeRole(@PathParam("id") UUID id, RoleViews.RoleChange change) {
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

    /** A remote a repository may name: only its owners may have it used (its credentials go where it points). */
    private UUID usableRemote(String href) {
        UUID remote = remotes.byHref("remote", href).pulpId;
        access.require(ObjectRef.remote(remote), Perm.VIEW_REMOTE, Perm.CHANGE_REMOTE, "use this remote");
        return remote;
    }

    static AsyncOperationResponse accepted(TaskRef task) {
        return AsyncOperationResponse.of(task);
    }
}
