package io.sigil.auth;

import org.eclipse.microprofile.openapi.annotations.Operation;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Test-only: declared levels, including a class-level READ that must not open its POST to anonymous callers. */
@Path("/pulp/api/v3/test-probe/annotated/")
@Authorized(AccessLevel.READ)
@Produces(MediaType.APPLICATION_JSON)
public class AnnotatedProbeResource {

    @Inject
    CurrentUser currentUser;

    @Operation(hidden = true) // test-only: kept out of the committed API spec
    @GET
    public Map<String, Object> read() {
        return UnannotatedProbeResource.describe(currentUser);
    }

    @Operation(hidden = true) // test-only: kept out of the committed API spec
    @POST
    public Map<String, Object> write() {
        return UnannotatedProbeResource.describe(currentUser);
    }

    @Operation(hidden = true) // test-only: kept out of the committed API spec
    @GET
    @Path("admin/")
    @Authorized(AccessLevel.ADMIN)
    public Map<String, Object> adminOnly() {
        return UnannotatedProbeResource.describe(currentUser);
    }

    @Operation(hidden = true) // test-only: kept out of the committed API spec
    @GET
    @Path("public/")
    @Authorized(AccessLevel.PUBLIC)
    public Map<String, Object> open() {
        return UnannotatedProbeResource.describe(currentUser);
    }
}
