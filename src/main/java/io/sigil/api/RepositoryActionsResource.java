package io.sigil.api;

import io.sigil.auth.Perm;
import io.sigil.common.Labels;
import io.sigil.repository.RepositoryService;
import io.sigil.repository.RepositoryTasks;
import io.sigil.repository.TagChanges;
import io.sigil.sync.RepairTasks;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseStatus;

/**
 * Pulp's per-repository actions that pulp-cli calls: {@code add}, {@code remove}, {@code tag}, {@code untag} (each one
 * new version, like {@code modify}) and {@code versions/<n>/repair/}. Each answers 202 with its task.
 */
@Path("/pulp/api/v3/repositories/container/container/{id}/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RepositoryActionsResource {

    @Inject
    RepositoryResource container;

    /** OCI's tag grammar. */
    static final String TAG = "[A-Za-z0-9_][A-Za-z0-9._-]{0,127}";
    static final String DIGEST = "[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+";

    @Inject
    RepositoryService repositories;
    @Inject
    RepositoryTasks tasks;
    @Inject
    TagChanges tags;
    @Inject
    RepairTasks repairs;
    @Inject
    LabelActions labels;

    /** Content hrefs; {@code remove} also takes {@code ["*"]} for everything. */
    public record ContentUnitsRequest(@NotEmpty(message = "This field is required.") List<@NotNull String> content_units) {
    }

    public record TagRequest(
            @NotNull(message = "This field is required.") @Pattern(regexp = TAG, message = "must be a valid tag: a letter, "
                    + "digit or '_' followed by up to 127 letters, digits, '.', '_' or '-'") String tag,
            @NotNull(message = "This field is required.") @Pattern(regexp = DIGEST,
                    message = "must be a manifest digest such as sha256:<64 hex digits>") String digest) {
    }

    public record UntagRequest(@NotNull(message = "This field is required.") @Pattern(regexp = TAG,
            message = "must be a valid tag") String tag) {
    }

    /** {@code verify_checksums} (default true): also hash every stored blob, not only check it is there. */
    public record RepairRequest(Boolean verify_checksums) {
    }

    @POST
    @Path("add/")
    @Operation(operationId = "repositories_container_container_add",
            summary = "Add content units (with what they need: a tag's manifest, a manifest's blobs) in one new version (a task)")
    @ResponseStatus(202)
    public AsyncOperationResponse add(@PathParam("id") UUID id, @Valid @NotNull ContentUnitsRequest request) {
        return RepositoryResource.accepted(tasks.modify(container.allowed(id, Perm.MODIFY_REPOSITORY_CONTENT, "change the content of this repository"),
                new RepositoryTasks.ModifyRequest(request.content_units(), null, null)));
    }

    @POST
    @Path("remove/")
    @Operation(operationId = "repositories_container_container_remove",
            summary = "Remove content units (with their tags and signatures, and what nothing else needs) in one new "
                    + "version (a task); [\"*\"] removes everything")
    @ResponseStatus(202)
    public AsyncOperationResponse remove(@PathParam("id") UUID id, @Valid @NotNull ContentUnitsRequest request) {
        return RepositoryResource.accepted(tasks.modify(container.allowed(id, Perm.MODIFY_REPOSITORY_CONTENT, "change the content of this repository"),
                new RepositoryTasks.ModifyRequest(null, request.content_units(), null)));
    }

    @POST
    @Path("tag/")
    @Operation(operationId = "repositories_container_container_tag",
            summary = "Point a tag at a manifest of the latest version, replacing a tag of that name (a task)")
    @ResponseStatus(202)
    public AsyncOperationResponse tag(@PathParam("id") UUID id, @Valid @NotNull TagRequest request) {
        return RepositoryResource.accepted(tags.tag(container.allowed(id, Perm.MODIFY_REPOSITORY_CONTENT, "change the content of this repository"), request.tag(), request.digest()));
    }

    @POST
    @Path("untag/")
    @Operation(operationId = "repositories_container_container_untag",
            summary = "Remove a tag from the latest version; its manifest stays (a task)")
    @ResponseStatus(202)
    public AsyncOperationResponse untag(@PathParam("id") UUID id, @Valid @NotNull UntagRequest request) {
        return RepositoryResource.accepted(tags.untag(container.allowed(id, Perm.MODIFY_REPOSITORY_CONTENT, "change the content of this repository"), request.tag()));
    }

    @POST
    @Path("versions/{number}/repair/")
    @Operation(operationId = "repositories_container_container_versions_repair",
            summary = "Check the version's blobs (present, and hashing to their digests) and manifests; delete corrupted "
                    + "blobs and fetch lost ones again from the repository's remote (a task whose result lists them)")
    @ResponseStatus(202)
    public AsyncOperationResponse repair(@PathParam("id") UUID id, @PathParam("number") int number, @Valid RepairRequest request) {
        repositories.version(id, number);
        boolean verify = request == null || !Boolean.FALSE.equals(request.verify_checksums());
        return RepositoryResource.accepted(repairs.repair(container.allowed(id, Perm.CHANGE_REPOSITORY, "repair this repository"), number, verify));
    }

    @POST
    @Path("set_label/")
    @Operation(operationId = "repositories_container_container_set_label", summary = "Set a label on a repository")
    @ResponseStatus(201)
    public LabelActions.LabelView setLabel(@PathParam("id") UUID id, @Valid @NotNull LabelActions.SetLabelRequest request) {
        container.allowed(id, Perm.CHANGE_REPOSITORY, "label this repository");
        return labels.set(Labels.Table.REPOSITORY, "repository", id, request);
    }

    @POST
    @Path("unset_label/")
    @Operation(operationId = "repositories_container_container_unset_label", summary = "Remove a label from a repository")
    @ResponseStatus(201)
    public LabelActions.LabelView unsetLabel(@PathParam("id") UUID id, @Valid @NotNull LabelActions.UnsetLabelRequest request) {
        container.allowed(id, Perm.CHANGE_REPOSITORY, "label this repository");
        return labels.unset(Labels.Table.REPOSITORY, "repository", id, request);
    }
}
