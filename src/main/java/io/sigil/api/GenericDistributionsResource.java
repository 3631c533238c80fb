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

/** Pulp's generic {@code /distributions/}: distributions of every type (Sigil has one, container). */
@Path("/pulp/api/v3/distributions/")
@Produces(MediaType.APPLICATION_JSON)
public class GenericDistributionsResource {

    @Inject
    DistributionResource container;

    @GET
    @Operation(operationId = "distributions_list", summary = "List distributions of every type")
    public Page<DistributionResource.DistributionView> list(@BeanParam NameFilter names,
                                                            @QueryParam("base_path") String basePath,
                                                            @QueryParam("pulp_label_select") String labelSelect,
                                                            @QueryParam("limit") String limit,
                                                            @QueryParam("offset") String offset, @Context UriInfo uri) {
        return container.list(names, basePath, labelSelect, limit, offset, uri);
    }
}
