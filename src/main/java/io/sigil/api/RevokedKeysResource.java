package io.sigil.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sigil.auth.AccessLevel;
import io.sigil.auth.Authorized;
import io.sigil.auth.Perm;
import io.sigil.lifecycle.RevocationKey;
import io.sigil.lifecycle.RevocationList;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The revocation list. Entries are added by {@code signatures/invalidate/}; an admin may lift one. */
@Path(RevocationList.COLLECTION)
@Produces(MediaType.APPLICATION_JSON)
public class RevokedKeysResource {

    @Inject
    RevocationList revocations;

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RevokedKeyView(String pulpHref, OffsetDateTime pulpCreated, String type, String identity,
                                 List<RevocationKey.KeyName> keys, String publicKey, String reason, String revokedBy,
                                 OffsetDateTime revokedAt, String note) {
        static RevokedKeyView of(RevocationList.RevokedKey k) {
            return new RevokedKeyView(k.href(), k.created(), k.type(), k.identity(), k.keys(), k.publicKey(), k.reason(),
                    k.revokedBy(), k.revokedAt(), k.note());
        }
    }

    @GET
    @Operation(summary = "List revoked keys, newest first")
    public Page<RevokedKeyView> list(@QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                     @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        RevocationList.KeyPage keys = revocations.list(page.limit(), page.offset());
        return Page.of(uri, page, keys.count(), keys.keys().stream().map(RevokedKeyView::of).toList());
    }

    @GET
    @Path("{id}/")
    @Operation(summary = "Read a revoked key")
    public RevokedKeyView get(@PathParam("id") UUID id) {
        return RevokedKeyView.of(revocations.get(id));
    }

    @DELETE
    @Path("{id}/")
    @Authorized(value = AccessLevel.WRITE, permission = Perm.MANAGE_TRUST)
    @Operation(summary = "Lift a revocation: the key's signatures are accepted again (removed ones do not come back)")
    public void lift(@PathParam("id") UUID id) {
        revocations.lift(id);
    }
}
