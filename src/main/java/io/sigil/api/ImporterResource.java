package io.sigil.api;

import io.sigil.auth.AccessLevel;
import io.sigil.auth.Authorized;
import io.sigil.auth.CurrentUser;
import io.sigil.common.ApiException;
import io.sigil.exchange.Import;
import io.sigil.exchange.ImportCheck;
import io.sigil.exchange.Importer;
import io.sigil.exchange.ImporterService;
import com.fasterxml.jackson.annotation.JsonProperty;
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
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Importers and their imports. Admin only: they read files on the server. */
@Path("/pulp/api/v3/importers/core/pulp/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authorized(AccessLevel.ADMIN)
public class ImporterResource {

    @Inject
    ImporterService importers;
    @Inject
    CurrentUser currentUser;
    @Inject
    ImportCheck importCheck;

    public record ImporterRequest(@Size(min = 1, max = 255, message = "Ensure this field has 1 to {max} characters.") String name,
                                  Map<String, @NotNull String> repo_mapping) {
    }

    /** The import's task (which pulp-glue would wait for) and the import record it fills. */
    public record ImportStarted(String task, @JsonProperty("import") String importHref) {
    }

    @GET
    @Transactional
    @Operation(summary = "List importers")
    public Page<ExchangeViews.ImporterView> list(@BeanParam NameFilter names, @QueryParam("limit") String limit,
                                                 @QueryParam("offset") String offset, @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        NameFilter.Query filter = names.query();
        var query = Importer.<Importer>find(filter.text(), filter.parameters());
        var results = query.range(page.offset(), page.offset() + page.limit() - 1).list().stream().map(ExchangeViews::of).toList();
        return Page.of(uri, page, query.count(), results);
    }

    @POST
    @Transactional
    @ResponseStatus(201)
    @Operation(summary = "Create an importer with a mapping of source to destination repository names")
    public ExchangeViews.ImporterView create(@Valid @NotNull(message = "A JSON object is required.") ImporterRequest request) {
        return ExchangeViews.of(importers.create(request.name(), request.repo_mapping()));
    }

    @POST
    @Path("import-check/")
    @Operation(operationId = "pulp_import_check_post", summary = "Check an archive (allowed and readable path, table of contents and format version, every chunk's "
            + "checksum, header and records) and a repo_mapping without importing; one result per check")
    public ImportCheck.Report check(@Valid @NotNull(message = "A JSON object is required.") ImportCheck.Request request) {
        return importCheck.check(request);
    }

    @GET
    @Path("{id}/")
    @Transactional
    @Operation(summary = "Read an importer")
    public ExchangeViews.ImporterView get(@PathParam("id") UUID id) {
        return ExchangeViews.of(importers.get(id));
    }

    @PATCH
    @Path("{id}/")
    @Transactional
    @Operation(summary = "Change an importer's repository mapping")
    public ExchangeViews.ImporterView update(@PathParam("id") UUID id, @Valid ImporterRequest request) {
        if (request == null || request.name() != null) {
            throw ApiException.badRequest("give repo_mapping; the name cannot change");
        }
        return ExchangeViews.of(importers.update(id, request.repo_mapping()));
    }

    @DELETE
    @Path("{id}/")
    @Operation(summary = "Delete an importer and the records of its imports")
    public void delete(@PathParam("id") UUID id) {
        importers.delete(id);
    }

    @POST
    @Path("{id}/imports/")
    @ResponseStatus(202)
    @Operation(summary = "Import an archive given by its table of contents under sigil.exchange.allowed-import-paths (a task)")
    public ImportStarted importArchive(@PathParam("id") UUID id, @Valid @NotNull(message = "A JSON object is required.") ImporterService.ImportRequest request) {
        Import record = importers.dispatch(id, request, currentUser.username());
        return new ImportStarted("/pulp/api/v3/tasks/" + record.taskId + "/", record.href());
    }

    @GET
    @Path("{id}/imports/")
    @Transactional
    @Operation(summary = "List an importer's imports, newest first")
    public Page<ExchangeViews.ImportView> imports(@PathParam("id") UUID id, @QueryParam("limit") String limit,
                                                  @QueryParam("offset") String offset, @Context UriInfo uri) {
        Importer importer = importers.get(id);
        PageRequest page = PageRequest.of(limit, offset);
        var query = Import.<Import>find("importer = ?1 order by id desc", importer);
        var results = query.range(page.offset(), page.offset() + page.limit() - 1).list().stream().map(ExchangeViews::of).toList();
        return Page.of(uri, page, query.count(), results);
    }

    @GET
    @Path("{id}/imports/{import}/")
    @Transactional
    @Operation(summary = "Read an import")
    public ExchangeViews.ImportView importOf(@PathParam("id") UUID id, @PathParam("import") UUID importId) {
        return ExchangeViews.of(importers.findImport(importers.get(id), importId));
    }
}
