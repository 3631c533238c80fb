package io.sigil.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sigil.common.Prn;
import io.sigil.repository.ContainerNamespace;
import io.sigil.repository.Namespaces;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
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
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** pulp_container's namespaces: the first path segment of distributions and pushed names. */
@Path(ContainerNamespace.HREFS)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class NamespacesResource {

    @Inject
    Namespaces namespaces;

    public record NamespaceRequest(@NotNull(message = "This field is required.") String name) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record NamespaceView(String pulpHref, String prn, OffsetDateTime pulpCreated, String name) {
        static NamespaceView of(ContainerNamespace n) {
            return new NamespaceView(n.href(), Prn.of(Prn.NAMESPACE, n.pulpId), n.pulpCreated, n.name);
        }
    }

    @GET
    @Transactional
    @Operation(operationId = "pulp_container_namespaces_list", summary = "List namespaces")
    public Page<NamespaceView> list(@QueryParam("name") String name, @QueryParam("name__startswith") String startsWith,
                                    @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                    @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        var query = new EntityQuery().where(name, "name = ?")
                .where(startsWith == null ? null : startsWith.replace("%", "\\%").replace("_", "\\_") + "%", "name like ?")
                .find((q, p) -> ContainerNamespace.<ContainerNamespace>find(q, p));
        List<NamespaceView> results = query.range(page.offset(), page.offset() + page.limit() - 1).list()
                .stream().map(NamespaceView::of).toList();
        return Page.of(uri, page, query.count(), results);
    }

    @POST
    @Operation(operationId = "pulp_container_namespaces_create", summary = "Create a namespace")
    public Response create(@Valid @NotNull NamespaceRequest request) {
        ContainerNamespace created = namespaces.create(request.name());
        return Response.status(201).entity(NamespaceView.of(created)).build();
    }

    @GET
    @Path("{id}/")
    @Transactional
    @Operation(operationId = "pulp_container_namespaces_read", summary = "Read a namespace")
    public NamespaceView get(@PathParam("id") UUID id) {
        return NamespaceView.of(namespaces.get(id));
    }

    @DELETE
    @Path("{id}/")
    @Operation(operationId = "pulp_container_namespaces_delete",
            summary = "Delete a namespace no distribution lives under (409 naming them otherwise)")
    public Response delete(@PathParam("id") UUID id) {
        namespaces.delete(id);
        return Response.noContent().build();
    }
}
