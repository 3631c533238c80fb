package io.sigil.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sigil.signing.SigningService;
import io.sigil.signing.SigningServices;
import io.sigil.auth.AccessLevel;
import io.sigil.auth.Authorized;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseStatus;

/**
 * Signing services in Pulp's shape. Private keys and passphrases go in and never come out: they are sealed under the
 * server secret ({@code sigil.secret}) and only opened by sign tasks. Creating and deleting services needs an admin.
 */
@Path(SigningService.COLLECTION)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SigningServicesResource {

    @Inject
    SigningServices services;

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SigningServiceView(String pulpHref, OffsetDateTime pulpCreated, String name, String type,
                                     String publicKey, String pubkeyFingerprint, String script) {
        static SigningServiceView of(SigningService s) {
            return new SigningServiceView(s.href(), s.created(), s.name(), s.type(), s.publicKey(), s.fingerprint(), s.script());
        }
    }

    @GET
    @Operation(summary = "List signing services")
    public Page<SigningServiceView> list(@QueryParam("name") String name, @QueryParam("type") String type,
                                         @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                         @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        SigningServices.ServicePage found = services.list(name, type, page.limit(), page.offset());
        return Page.of(uri, page, found.count(), found.services().stream().map(SigningServiceView::of).toList());
    }

    @POST
    @ResponseStatus(201)
    @Authorized(AccessLevel.ADMIN)
    @Operation(summary = "Create a signing service: type atomic or cosign, and one of private_key (+ passphrase), "
            + "generate: true (+ user_id), or script (atomic; + public_key, checked by signing a test manifest)")
    public SigningServiceView create(@Valid @NotNull(message = "A JSON object is required.") SigningServices.ServiceRequest request) {
        return SigningServiceView.of(services.create(request));
    }

    @GET
    @Path("{id}/")
    @Operation(summary = "Read a signing service (never its private key)")
    public SigningServiceView get(@PathParam("id") UUID id) {
        return SigningServiceView.of(services.get(id));
    }

    @DELETE
    @Authorized(AccessLevel.ADMIN)
    @Path("{id}/")
    @Operation(summary = "Delete a signing service and its sealed key")
    public void delete(@PathParam("id") UUID id) {
        services.delete(id);
    }
}
