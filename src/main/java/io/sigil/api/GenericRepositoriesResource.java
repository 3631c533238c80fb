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

/** Pulp's generic {@code /repositories/}: repositories of every type (Sigil has one, container). */
@Path("/pulp/api/v3/repositories/")
@Produces(MediaType.APPLICATION_JSON)
public class GenericRepositoriesResource {

    @Inject
    RepositoryResource container;

    @GET
    @Operation(operationId = "repositories_list", summary = "List repositories of every type")
    public Page<RepositoryViews.RepositoryView> list(@BeanParam NameFilter names,
                                                     @QueryParam("remote") String remote,
                                                     @QueryParam("pulp_label_select") String labelSelect,
                                                     @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                                     @Context UriInfo uri) {
        return container.list(names, remote, labelSelect, limit, offset, uri);
    }
}
