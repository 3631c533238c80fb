package io.sigil.exchange;

import io.sigil.common.ApiException;
import io.sigil.repository.Hrefs;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryService;
import io.sigil.tasks.TaskDispatcher;
import io.sigil.tasks.TaskRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Exporters (which repositories, which directory) and the dispatch of their exports as tasks. */
@ApplicationScoped
public class ExporterService {

    @Inject
    RepositoryService repositories;
    @Inject
    ExchangePaths paths;
    @Inject
    TaskDispatcher dispatcher;

    /** An export request: version hrefs (default: the latest of each repository), chunk size, full or incremental. */
    public record ExportRequest(List<String> versions, String chunk_size, Boolean full, Boolean oci_layout) {
    }

    @Transactional
    public Exporter create(String name, String path, List<String> repositoryHrefs) {
        requireName(name);
        if (Exporter.count("name", name) > 0) {
            throw ApiException.field("name", "an exporter named '" + name + "' already exists");
        }
        Exporter exporter = new Exporter();
        exporter.name = name;
        exporter.path = paths.requireExportPath("path", path);
        exporter.repositories = resolve(repositoryHrefs);
        exporter.persist();
        return exporter;
    }

    @Transactional
    public Exporter update(UUID id, String path, List<String> repositoryHrefs) {
        Exporter exporter = get(id);
        if (path != null) {
            exporter.path = paths.requireExportPath("path", path);
        }
        if (repositoryHrefs != null) {
            exporter.repositories = resolve(repositoryHrefs);
        }
        return exporter;
    }

    public Exporter get(UUID id) {
        return Exporter.<Exporter>find("pulpId", id).firstResultOptional()
                .orElseThrow(() -> ApiException.notFound("exporter " + id + " does not exist"));
    }

    @Transactional
    public void delete(UUID id) {
        get(id).delete();
    }

    public Export export(Exporter exporter, UUID id) {
        return Export.<Export>find("exporter = ?1 and pulpId = ?2", exporter, id).firstResultOptional()
                .orElseThrow(() -> ApiException.notFound("export " + id + " does not exist"));
    }

    @Transactional
    public void deleteExport(Exporter exporter, UUID id) {
        Export export = export(exporter, id);
        Exporter.update("lastExport = null where lastExport = ?1", export);
        export.delete();
    }

    /** Validates the request and dispatches the export; the exporter is locked, its repositories share-locked. */
    @Transactional
    public TaskRef dispatch(UUID exporterId, ExportRequest request) {
        Exporter exporter = get(exporterId);
        ExportRequest r = request == null ? new ExportRequest(null, null, null, null) : request;
        boolean full = !Boolean.FALSE.equals(r.full());
        boolean ociLayout = Boolean.TRUE.equals(r.oci_layout());
        if (exporter.repositories.isEmpty()) {
            throw ApiException.badRequest("exporter " + exporter.name + " names no repository");
        }
        if (!full && exporter.lastExport == null) {
            throw ApiException.field("full", "an incremental export needs an earlier export of this exporter");
        }
        if (!full && ociLayout) {
            throw ApiException.field("oci_layout", "an OCI layout needs every blob: it is only written by full exports");
        }
        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("versions", r.versions());
        echo.put("chunk_size", r.chunk_size());
        echo.put("full", full);
        echo.put("oci_layout", ociLayout);
        var parameters = new ExportTask.Parameters(exporter.pulpId, UUID.randomUUID(), versions(exporter, r.versions()),
                ChunkSize.parse(r.chunk_size()), full, ociLayout, echo);
        List<String> shared = exporter.repositories.stream().map(Repository::resource).toList();
        return dispatcher.dispatch(ExportTask.NAME, parameters, List.of(exporter.resource()), shared);
    }

    /** At most one version per exporter repository. */
    private Map<UUID, Integer> versions(Exporter exporter, List<String> hrefs) {
        Map<UUID, Integer> versions = new LinkedHashMap<>();
        Set<UUID> members = new LinkedHashSet<>();
        exporter.repositories.forEach(r -> members.add(r.pulpId));
        for (String href : hrefs == null ? List.<String>of() : hrefs) {
            Hrefs.VersionRef ref = Hrefs.parseVersion(href);
            if (ref == null || !members.contains(ref.repository())) {
                throw ApiException.field("versions", "'" + href + "' is not a version of a repository of this exporter");
            }
            repositories.version(ref.repository(), ref.number());
            if (versions.put(ref.repository(), ref.number()) != null) {
                throw ApiException.field("versions", "name at most one version per repository");
            }
        }
        return versions;
    }

    private Set<Repository> resolve(List<String> hrefs) {
        Set<Repository> resolved = new LinkedHashSet<>();
        for (String href : hrefs == null ? List.<String>of() : hrefs) {
            UUID id = Hrefs.parseRepository(href);
            if (id == null) {
                throw ApiException.field("repositories", "'" + href + "' is not a repository href");
            }
            resolved.add(repositories.get(id));
        }
        return resolved;
    }

    /** Hrefs of the repository versions an export holds. */
    public List<String> exportedVersions(Export export) {
        List<Object[]> rows = Export.getEntityManager().createNativeQuery(
                "SELECT r.pulp_id, v.number FROM export_version v JOIN repository r ON r.id = v.repository_id "
                        + "WHERE v.export_id = ?1 ORDER BY r.name").setParameter(1, export.id).getResultList();
        return rows.stream().map(r -> Hrefs.version((UUID) r[0], ((Number) r[1]).intValue())).toList();
    }

    static void requireName(String name) {
        if (name == null || name.isBlank() || name.length() > 255) {
            throw ApiException.field("name", "a name of 1 to 255 characters is required");
        }
    }
}
