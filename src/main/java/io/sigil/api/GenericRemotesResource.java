package io.sigil.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Pulp's generic {@code /remotes/}: remotes of every type (Sigil has one, container). */
@Path("/pulp/api/v3/remotes/")
@Produces(MediaType.APPLICATION_JSON)
public class GenericRemotesResource {

    @Inject
    RemoteResource container;

    @GET
    @Operation(operationId = "remotes_list", summary = "List remotes of every type")
    public Page<RemoteViews.RemoteView> list(@BeanParam NameFilter names,
                                             @QueryParam("pulp_label_select") String labelSelect,
                                             @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                             @Context UriInfo uri) {
        return container.list(names, labelSelect, limit, offset, uri);
    }
}
