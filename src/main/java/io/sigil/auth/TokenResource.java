package io.sigil.auth;

import io.sigil.common.ApiException;
import io.sigil.common.ContentOrigin;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /token}: the Docker token endpoint. Credentials are optional (the filter has already checked any that
 * were sent); anonymous callers get what the policy allows anonymous callers.
 */
@Path("/token")
@Authorized(AccessLevel.PUBLIC)
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    @Inject
    RegistryTokens tokens;

    @Inject
    CurrentUser currentUser;

    @Inject
    ContentOrigin origin;

    @GET
    public TokenResponse token(@QueryParam("service") String service, @QueryParam("scope") List<String> scopes) {
        String audience = service == null || service.isBlank() ? RegistryTokens.service(origin.uri()) : service;
        return TokenResponse.of(tokens.issue(currentUser.caller(), audience, parse(scopes)));
    }

    /** Scopes come as repeated parameters, and some clients put several in one, separated by spaces. */
    private static List<RegistryScope> parse(List<String> params) {
        List<RegistryScope> scopes = new ArrayList<>();
        for (String param : params == null ? List.<String>of() : params) {
            for (String scope : param.trim().split("\\s+")) {
                if (scope.isEmpty()) {
                    continue;
                }
                try {
                    scopes.add(RegistryScope.parse(scope));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest(e.getMessage());
                }
            }
        }
        return scopes;
    }
}
