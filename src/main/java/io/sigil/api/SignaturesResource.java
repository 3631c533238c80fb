package io.sigil.api;

import io.sigil.auth.AccessLevel;
import io.sigil.auth.Authorized;
import io.sigil.auth.Perm;
import io.sigil.auth.CurrentUser;
import io.sigil.lifecycle.SignatureInvalidation;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Operations on signatures across repositories. */
@Path("/pulp/api/v3/signatures/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SignaturesResource {

    @Inject
    SignatureInvalidation invalidation;
    @Inject
    CurrentUser user;

    @POST
    @Path("invalidate/")
    @Authorized(value = AccessLevel.WRITE, permission = Perm.MANAGE_TRUST)
    @ResponseStatus(202)
    @Operation(operationId = "signatures_invalidate", summary = "Revoke a key and remove its signatures, or remove every signature in a scope: one new version "
            + "per repository that held any (a task)")
    public AsyncOperationResponse invalidate(@Valid @NotNull(message = "A JSON object is required.") SignatureInvalidation.InvalidationRequest request) {
        return RepositoryResource.accepted(invalidation.invalidate(request, user.username()));
    }
}
