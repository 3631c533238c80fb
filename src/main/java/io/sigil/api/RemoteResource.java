package io.sigil.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.common.Labels;
import io.sigil.sync.Remote;
import io.sigil.sync.RemoteService;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/** Container remotes: upstream registries to sync from. Changes apply at once (a running sync keeps its snapshot). */
@Path(Remote.HREFS)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RemoteResource {

    @Inject
    RemoteService remotes;
    @Inject
    EntityManager em;
    @Inject
    RequestBodies bodies;

    @GET
    @Transactional
    @Operation(summary = "List remotes")
    public Page<RemoteViews.RemoteView> list(@BeanParam NameFilter names,
                                             @QueryParam("pulp_label_select") String labelSelect,
                                             @QueryParam("limit") String limit,
                                             @QueryParam("offset") String offset, @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        NameFilter.Query filter = names.query().labels(em, Labels.Table.REMOTE, labelSelect);
        var query = Remote.<Remote>find(filter.text(), filter.parameters());
        List<RemoteViews.RemoteView> results = query.range(page.offset(), page.offset() + page.limit() - 1).list()
                .stream().map(RemoteViews::of).toList();
        return Page.of(uri, page, query.count(), results);
    }

    @POST
    @ResponseStatus(201)
    @Operation(summary = "Create a remote")
    public RemoteViews.RemoteView create(@RequestBody(content = @Content(schema = @Schema(implementation = RemoteViews.RemoteRequest.class)))
                                         JsonNode body) {
        bodies.bind(body, RemoteViews.RemoteRequest.class);
        return RemoteViews.of(remotes.create(body));
    }

    @GET
    @Path("{id}/")
    @Transactional
    @Operation(summary = "Read a remote")
    public RemoteViews.RemoteView get(@PathParam("id") UUID id) {
        return RemoteViews.of(remotes.get(id));
    }

    @PATCH
    @Path("{id}/")
    @Operation(summary = "Change some fields of a remote")
    public RemoteViews.RemoteView patch(@PathParam("id") UUID id,
                                        @RequestBody(content = @Content(schema = @Schema(implementation = RemoteViews.RemoteRequest.class)))
                                        JsonNode body) {
        bodies.bind(body, RemoteViews.RemoteRequest.class);
        return RemoteViews.of(remotes.update(id, body));
    }

    @DELETE
    @Path("{id}/")
    @Operation(summary = "Delete a remote")
    public void delete(@PathParam("id") UUID id) {
        remotes.delete(id);
    }
}
