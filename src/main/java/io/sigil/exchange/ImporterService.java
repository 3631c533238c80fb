package io.sigil.exchange;

import io.sigil.common.ApiException;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryService;
import io.sigil.tasks.TaskDispatcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Importers (a repository mapping) and the dispatch of their imports as tasks. */
@ApplicationScoped
public class ImporterService {

    private static final Pattern REPOSITORY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,254}");

    @Inject
    RepositoryService repositories;
    @Inject
    ExchangePaths paths;
    @Inject
    TaskDispatcher dispatcher;

    public record ImportRequest(String path, Boolean create_repositories) {
    }

    @Transactional
    public Importer create(String name, Map<String, String> repoMapping) {
        ExporterService.requireName(name);
        if (Importer.count("name", name) > 0) {
            throw ApiException.field("name", "an importer named '" + name + "' already exists");
        }
        Importer importer = new Importer();
        importer.name = name;
        importer.repoMapping = validMapping(repoMapping);
        importer.persist();
        return importer;
    }

    @Transactional
    public Importer update(UUID id, Map<String, String> repoMapping) {
        Importer importer = get(id);
        if (repoMapping != null) {
            importer.repoMapping = validMapping(repoMapping);
        }
        return importer;
    }

    public Importer get(UUID id) {
        return Importer.<Importer>find("pulpId", id).firstResultOptional()
                .orElseThrow(() -> ApiException.notFound("importer " + id + " does not exist"));
    }

    @Transactional
    public void delete(UUID id) {
        get(id).delete();
    }

    public Import findImport(Importer importer, UUID id) {
        return Import.<Import>find("importer = ?1 and pulpId = ?2", importer, id).firstResultOptional()
                .orElseThrow(() -> ApiException.notFound("import " + id + " does not exist"));
    }

    /**
     * Records the import and dispatches its task: the importer and the mapped destinations that exist are locked
     * (other destinations are locked row-wise by the version writer when the import commits).
     */
    @Transactional
    public Import dispatch(UUID importerId, ImportRequest request, String user) {
        Importer importer = get(importerId);
        if (request == null) {
            throw ApiException.badRequest("a JSON body with path is required");
        }
        Path toc = paths.requireReadableImportFile("path", request.path());
        boolean create = Boolean.TRUE.equals(request.create_repositories());
        Import record = new Import();
        record.importer = importer;
        record.params = new LinkedHashMap<>(Map.of("path", request.path(), "create_repositories", create));
        var parameters = new ImportTask.Parameters(importer.pulpId, record.pulpId, toc.toString(), create);
        List<String> locks = new ArrayList<>(List.of(importer.resource()));
        importer.repoMapping.values().stream().map(repositories::findByName).flatMap(Optional::stream)
                .map(Repository::resource).forEach(locks::add);
        // One transaction: the task and its import record exist together or not at all.
        record.taskId = dispatcher.dispatchJoining(ImportTask.NAME, parameters, locks, List.of(), user).id();
        record.persist();
        return record;
    }

    static Map<String, String> validMapping(Map<String, String> mapping) {
        Map<String, String> valid = new LinkedHashMap<>();
        if (mapping == null) {
            return valid;
        }
        mapping.forEach((source, destination) -> {
            if (source == null || destination == null || !REPOSITORY_NAME.matcher(source).matches()
                    || !REPOSITORY_NAME.matcher(destination).matches()) {
                throw ApiException.field("repo_mapping", "'" + source + "' → '" + destination + "' does not map a repository "
                        + "name to a repository name");
            }
            if (valid.containsValue(destination)) {
                throw ApiException.field("repo_mapping", "two source repositories map to '" + destination + "'");
            }
            valid.put(source, destination);
        });
        return valid;
    }
}
