package io.sigil.api;

import io.sigil.auth.AccessLevel;
import io.sigil.auth.Authorized;
import io.sigil.common.ApiException;
import io.sigil.exchange.Export;
import io.sigil.exchange.Exporter;
import io.sigil.exchange.ExporterService;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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

/** Exporters and their exports (archives for air-gapped transfer). Admin only: they write files on the server. */
@Path("/pulp/api/v3/exporters/core/pulp/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authorized(AccessLevel.ADMIN)
public class ExporterResource {

    @Inject
    ExporterService exporters;

    public record ExporterRequest(@Size(min = 1, max = 255, message = "Ensure this field has 1 to {max} characters.") String name,
                                  @Size(min = 1, max = 4096, message = "Ensure this field has 1 to {max} characters.") String path,
                                  List<@NotNull String> repositories) {
    }

    @GET
    @Transactional
    @Operation(summary = "List exporters")
    public Page<ExchangeViews.ExporterView> list(@BeanParam NameFilter names, @QueryParam("limit") String limit,
                                                 @QueryParam("offset") String offset, @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        NameFilter.Query filter = names.query();
        var query = Exporter.<Exporter>find(filter.text(), filter.parameters());
        var results = query.range(page.offset(), page.offset() + page.limit() - 1).list().stream().map(ExchangeViews::of).toList();
        return Page.of(uri, page, query.count(), results);
    }

    @POST
    @Transactional
    @ResponseStatus(201)
    @Operation(summary = "Create an exporter: repositories and a directory under sigil.exchange.allowed-export-paths")
    public ExchangeViews.ExporterView create(@Valid @NotNull(message = "A JSON object is required.") ExporterRequest request) {
        Exporter exporter = exporters.create(request.name(), request.path(), request.repositories());
        return ExchangeViews.of(exporter);
    }

    @GET
    @Path("{id}/")
    @Transactional
    @Operation(summary = "Read an exporter")
    public ExchangeViews.ExporterView get(@PathParam("id") UUID id) {
        return ExchangeViews.of(exporters.get(id));
    }

    @PATCH
    @Path("{id}/")
    @Transactional
    @Operation(summary = "Change an exporter's path or repositories")
    public ExchangeViews.ExporterView update(@PathParam("id") UUID id, @Valid ExporterRequest request) {
        if (request == null || request.name() != null) {
            throw ApiException.badRequest("give path and/or repositories; the name cannot change");
        }
        return ExchangeViews.of(exporters.update(id, request.path(), request.repositories()));
    }

    @DELETE
    @Path("{id}/")
    @Operation(summary = "Delete an exporter and the records of its exports (the files stay)")
    public void delete(@PathParam("id") UUID id) {
        exporters.delete(id);
    }

    @POST
    @Path("{id}/exports/")
    @ResponseStatus(202)
    @Operation(summary = "Export repository versions to an archive (a task)")
    public AsyncOperationResponse export(@PathParam("id") UUID id, @Valid ExporterService.ExportRequest request) {
        return RepositoryResource.accepted(exporters.dispatch(id, request));
    }

    @GET
    @Path("{id}/exports/")
    @Transactional
    @Operation(summary = "List an exporter's exports, newest first")
    public Page<ExchangeViews.ExportView> exports(@PathParam("id") UUID id, @QueryParam("limit") String limit,
                                                  @QueryParam("offset") String offset, @Context UriInfo uri) {
        Exporter exporter = exporters.get(id);
        PageRequest page = PageRequest.of(limit, offset);
        var query = Export.<Export>find("exporter = ?1 order by id desc", exporter);
        var results = query.range(page.offset(), page.offset() + page.limit() - 1).list().stream()
                .map(e -> ExchangeViews.of(e, exporters.exportedVersions(e))).toList();
        return Page.of(uri, page, query.count(), results);
    }

    @GET
    @Path("{id}/exports/{export}/")
    @Transactional
    @Operation(summary = "Read an export: its files, their checksums and the versions it holds")
    public ExchangeViews.ExportView exportOf(@PathParam("id") UUID id, @PathParam("export") UUID exportId) {
        Export export = exporters.export(exporters.get(id), exportId);
        return ExchangeViews.of(export, exporters.exportedVersions(export));
    }

    @DELETE
    @Path("{id}/exports/{export}/")
    @Operation(summary = "Delete the record of an export (the files stay)")
    public void deleteExport(@PathParam("id") UUID id, @PathParam("export") UUID exportId) {
        exporters.deleteExport(exporters.get(id), exportId);
    }
}
