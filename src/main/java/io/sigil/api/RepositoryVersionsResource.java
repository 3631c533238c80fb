package io.sigil.api;

import io.sigil.repository.RepositoryVersion;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Pulp's generic {@code /repository_versions/}: the versions of every repository. */
@Path("/pulp/api/v3/repository_versions/")
@Produces(MediaType.APPLICATION_JSON)
public class RepositoryVersionsResource {

    @GET
    @Transactional
    @Operation(operationId = "repository_versions_list", summary = "List the versions of all repositories")
    public Page<RepositoryViews.VersionView> list(@QueryParam("number") Integer number,
                                                  @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                                  @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        var query = new EntityQuery().where(number, "number = ?")
                .find((q, p) -> RepositoryVersion.<RepositoryVersion>find(q, p));
        List<RepositoryViews.VersionView> results = query.range(page.offset(), page.offset() + page.limit() - 1).list()
                .stream().map(v -> RepositoryViews.of(v.repository, v)).toList();
        return Page.of(uri, page, query.count(), results);
    }
}
