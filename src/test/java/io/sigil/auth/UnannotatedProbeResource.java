package io.sigil.auth;

import org.eclipse.microprofile.openapi.annotations.Operation;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.HashMap;
import java.util.Map;

/** Test-only: a Pulp API resource with no {@link Authorized}, as another branch might add one. */
@Path("/pulp/api/v3/test-probe/plain/")
@Produces(MediaType.APPLICATION_JSON)
public class UnannotatedProbeResource {

    @Inject
    CurrentUser currentUser;

    @Operation(hidden = true) // test-only: kept out of the committed API spec
    @GET
    public Map<String, Object> read() {
        return describe(currentUser);
    }

    @Operation(hidden = true) // test-only: kept out of the committed API spec
    @POST
    public Map<String, Object> write() {
        return describe(currentUser);
    }

    @Operation(hidden = true) // test-only: kept out of the committed API spec
    @DELETE
    public Map<String, Object> remove() {
        return describe(currentUser);
    }

    static Map<String, Object> describe(CurrentUser user) {
        Map<String, Object> body = new HashMap<>();
        body.put("username", user.username());
        body.put("admin", user.isAdmin());
        body.put("anonymous", user.isAnonymous());
        return body;
    }
}
