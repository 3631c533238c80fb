package io.sigil.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sigil.signing.SigningService;
import io.sigil.signing.SigningServices;
import io.sigil.auth.Access;
import io.sigil.auth.AccessLevel;
import io.sigil.auth.ObjectRef;
import io.sigil.auth.ObjectType;
import io.sigil.auth.Perm;
import io.sigil.auth.Permissions;
import io.sigil.auth.RoleViews;
import io.sigil.common.ApiException;
import jakarta.ws.rs.PATCH;
import java.util.List;
import java.util.Set;
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
import jakarta.ws.rs.core.Response;
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
    @Inject
    Permissions permissions;

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SigningServiceView(String pulpHref, OffsetDateTime pulpCreated, String name, String type,
                                     String publicKey, String pubkeyFingerprint, String script,
                                     List<String> allowedReferences) {
        static SigningServiceView of(SigningService s) {
            return new SigningServiceView(s.href(), s.created(), s.name(), s.type(), s.publicKey(), s.fingerprint(), s.script(),
                    s.allowedReferences());
        }
    }

    /** PATCH body: the references the service may sign for (exact names, or prefixes ending in /). */
    public record ServiceUpdate(List<String> allowed_references) {
    }

    @Inject
    Access access;
    @Inject
    ObjectRoleActions roleActions;

    @GET
    @Operation(summary = "List the signing services the caller may use (admins: all)")
    public Page<SigningServiceView> list(@QueryParam("name") String name, @QueryParam("type") String type,
                                         @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                         @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        Set<String> visible = access.visibleIds(Perm.VIEW_SIGNING_SERVICE, ObjectType.SIGNING_SERVICE);
        if (visible == null) {
            SigningServices.ServicePage found = services.list(name, type, page.limit(), page.offset());
            return Page.of(uri, page, found.count(), found.services().stream().map(SigningServiceView::of).toList());
        }
        // Few services, fewer per user: filter the whole list rather than teach every query about roles.
        List<SigningServiceView> mine = services.list(name, type, Integer.MAX_VALUE, 0).services().stream()
                .filter(s -> visible.contains(s.id().toString())).map(SigningServiceView::of).toList();
        return Page.of(uri, page, mine.size(), mine.stream().skip(page.offset()).limit(page.limit()).toList());
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
        SigningService service = services.get(id);
        access.require(ref(service), Perm.VIEW_SIGNING_SERVICE, null, null);
        return SigningServiceView.of(service);
    }

    @PATCH
    @Authorized(AccessLevel.ADMIN)
    @Path("{id}/")
    @Operation(operationId = "signing_services_partial_update",
            summary = "Set the references a signing service may sign for (admins only)")
    public SigningServiceView update(@PathParam("id") UUID id, ServiceUpdate update) {
        if (update == null || update.allowed_references() == null) {
            throw ApiException.field("allowed_references", "This field is required.");
        }
        return SigningServiceView.of(services.setAllowedReferences(id, update.allowed_references()));
    }

    @GET
    @Path("{id}/list_roles/")
    @Operation(operationId = "signing_services_list_roles", summary = "List the roles held on this signing service")
    public RoleViews.ObjectRoles listRoles(@PathParam("id") UUID id) {
        return roleActions.list(ref(services.get(id)), visible(id), Perm.MANAGE_ROLES_SIGNING_SERVICE);
    }

    @POST
    @Path("{id}/add_role/")
    @Operation(operationId = "signing_services_add_role",
            summary = "Give users or groups a role on this signing service (e.g. sigil.signingservice_signer)")
    @ResponseStatus(201)
    public RoleViews.RoleChange addRole(@PathParam("id") UUID id, RoleViews.RoleChange change) {
        return roleActions.add(ref(services.get(id)), visible(id), Perm.MANAGE_ROLES_SIGNING_SERVICE, change);
    }

    @POST
    @Path("{id}/remove_role/")
    @Operation(operationId = "signing_services_remove_role", summary = "Take a role on this signing service from users or groups")
    @ResponseStatus(201)
    public RoleViews.RoleChange removeRole(@PathParam("id") UUID id, RoleViews.RoleChange change) {
        return roleActions.remove(ref(services.get(id)), visible(id), Perm.MANAGE_ROLES_SIGNING_SERVICE, change);
    }

    @GET
    @Path("{id}/my_permissions/")
    @Operation(operationId = "signing_services_my_permissions", summary = "The caller's permissions on this signing service")
    public RoleViews.MyPermissions myPermissions(@PathParam("id") UUID id) {
        return roleActions.mine(ref(services.get(id)), visible(id));
    }

    private static ObjectRef ref(SigningService service) {
        return ObjectRef.signingService(service.id());
    }

    private boolean visible(UUID id) {
        return access.grants(ObjectRef.signingService(id)).has(Perm.VIEW_SIGNING_SERVICE, ObjectRef.signingService(id));
    }

    @DELETE
    @Authorized(AccessLevel.ADMIN)
    @Path("{id}/")
    @Operation(summary = "Delete a signing service and its sealed key")
    public void delete(@PathParam("id") UUID id) {
        services.delete(id);
        permissions.forget(ObjectRef.signingService(id));
    }
}
