package io.sigil.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.auth.Access;
import io.sigil.auth.ObjectRef;
import io.sigil.auth.ObjectType;
import io.sigil.auth.Perm;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryService;
import io.sigil.sync.SyncTasks;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Sync of a repository from a remote (a task). */
@Path("/pulp/api/v3/repositories/container/container/{id}/sync/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SyncResource {

    @Inject
    RepositoryService repositories;
    @Inject
    SyncTasks tasks;
    @Inject
    RequestBodies bodies;
    @Inject
    Access access;

    /** The body: the remote's href, and whether the new version mirrors the upstream (default: additive). */
    public record SyncRequest(String remote, Boolean mirror) {
    }

    @POST
    @ResponseStatus(202)
    @Operation(summary = "Sync the repository from a remote, with its signatures (a task)")
    public AsyncOperationResponse sync(@PathParam("id") UUID id,
                                       @RequestBody(content = @Content(schema = @Schema(implementation = SyncRequest.class))) JsonNode body) {
        bodies.bind(body, SyncRequest.class);
        Repository repository = repositories.get(id);
        access.require(ObjectRef.repository(repository.pulpId), Perm.VIEW_REPOSITORY, Perm.SYNC_REPOSITORY,
                "sync this repository");
        // Only a remote's owners may send its stored credentials somewhere by syncing with it: the one named, or the
        // repository's own remote when none is.
        JsonNode remote = body == null ? null : body.get("remote");
        if (remote != null && remote.isTextual()) {
            ObjectRef.parse(remote.textValue()).filter(ref -> ref.type() == ObjectType.REMOTE)
                    .ifPresent(ref -> access.require(ref, Perm.VIEW_REMOTE, Perm.CHANGE_REMOTE, "sync with this remote"));
        } else if (repository.remoteId != null) {
            access.require(ObjectRef.remote(repository.remoteId), Perm.VIEW_REMOTE, Perm.CHANGE_REMOTE, "sync with this remote");
        }
        return RepositoryResource.accepted(tasks.sync(repository, body));
    }
}
