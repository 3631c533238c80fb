package io.sigil.api;

import io.sigil.auth.AccessLevel;
import io.sigil.auth.Authorized;
import io.sigil.auth.CurrentUser;
import io.sigil.lifecycle.OrphanCleanup;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Garbage collection of content no repository version holds. */
@Path("/pulp/api/v3/orphans/cleanup/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authorized(AccessLevel.ADMIN)
public class OrphansResource {

    @Inject
    OrphanCleanup cleanup;
    @Inject
    CurrentUser user;

    /** @param orphan_protection_time minutes an unused unit is spared; the server's default when absent */
    public record CleanupRequest(@Min(value = 0, message = "Must be 0 or more minutes.") Long orphan_protection_time) {
    }

    @POST
    @ResponseStatus(202)
    @Operation(operationId = "orphans_cleanup_cleanup", summary = "Delete orphaned content and its blob files (a task)")
    public AsyncOperationResponse cleanup(@Valid CleanupRequest request) {
        Long minutes = request == null ? null : request.orphan_protection_time();
        return RepositoryResource.accepted(cleanup.dispatch(minutes, user.username()));
    }
}
