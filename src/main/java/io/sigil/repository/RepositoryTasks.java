package io.sigil.repository;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.common.ApiException;
import io.sigil.common.Labels;
import io.sigil.tasks.TaskDispatcher;
import io.sigil.tasks.TaskRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Validates repository change requests and dispatches them as tasks that lock the repository they write (and
 * share-lock those they read). Validation happens before dispatch, so a bad request is a 400, never a failed task.
 */
@ApplicationScoped
public class RepositoryTasks {

    public static final String MODIFY = "repository.modify";
    public static final String COPY = "repository.copy";
    public static final String UPDATE = "repository.update";
    public static final String DELETE = "repository.delete";
    public static final String DELETE_VERSION = "repository.delete_version";

    @Inject
    TaskDispatcher dispatcher;
    @Inject
    ContentRefs refs;
    @Inject
    RepositoryService repositories;
    @Inject
    RevokedSignatureGuard guard;

    /** Pulp's modify body: content hrefs to add and remove ({@code "*"} removes everything), and a base version. */
    public record ModifyRequest(List<String> add_content_units, List<String> remove_content_units, String base_version) {
    }

    /** Pulp's copy_tags / copy_manifests body, plus whether signatures travel with their manifests (default yes). */
    public record CopyRequest(String source_repository, String source_repository_version, List<String> names,
                              List<String> digests, List<String> media_types, Boolean include_signatures) {
    }

    record ModifyParameters(UUID repository, Set<Long> add, Set<Long> remove, boolean removeAll, Integer baseVersion) {
    }

    record CopyParameters(UUID repository, UUID sourceRepository, int sourceVersion, boolean tags, List<String> names,
                          List<String> digests, List<String> mediaTypes, boolean includeSignatures) {
    }

    public TaskRef modify(Repository repository, ModifyRequest request) {
        if (request == null) {
            throw ApiException.badRequest("a JSON body with add_content_units and/or remove_content_units is required");
        }
        List<String> remove = request.remove_content_units() == null ? List.of() : request.remove_content_units();
        boolean removeAll = remove.contains("*");
        if (removeAll && remove.size() > 1) {
            throw ApiException.field("remove_content_units", "'*' cannot be combined with other hrefs");
        }
        Integer base = null;
        if (request.base_version() != null) {
            Hrefs.VersionRef ref = Hrefs.parseVersion(request.base_version());
            if (ref == null || !ref.repository().equals(repository.pulpId)) {
                throw ApiException.field("base_version", "'" + request.base_version() + "' is not a version of this repository");
            }
            repositories.version(ref.repository(), ref.number());
            base = ref.number();
        }
        Set<Long> add = refs.resolve("add_content_units", request.add_content_units());
        guard.refuse("add_content_units", add);
        ModifyParameters parameters = new ModifyParameters(repository.pulpId, add,
                removeAll ? Set.of() : refs.resolve("remove_content_units", remove), removeAll, base);
        return dispatcher.dispatch(MODIFY, parameters, List.of(repository.resource()), List.of());
    }

    public TaskRef copy(Repository target, CopyRequest request, boolean tags) {
        if (request == null) {
            throw ApiException.badRequest("a JSON body naming source_repository or source_repository_version is required");
        }
        if ((request.source_repository() == null) == (request.source_repository_version() == null)) {
            throw ApiException.field("source_repository", "give exactly one of source_repository and source_repository_version");
        }
        Repository source;
        int version;
        if (request.source_repository() != null) {
            UUID id = Hrefs.parseRepository(request.source_repository());
            if (id == null) {
                throw ApiException.field("source_repository", "'" + request.source_repository() + "' is not a repository href");
            }
            source = repositories.get(id);
            version = source.latestVersion;
        } else {
            Hrefs.VersionRef ref = Hrefs.parseVersion(request.source_repository_version());
            if (ref == null) {
                throw ApiException.field("source_repository_version", "'" + request.source_repository_version() + "' is not a version href");
            }
            source = repositories.get(ref.repository());
            repositories.version(ref.repository(), ref.number());
            version = ref.number();
        }
        CopyParameters parameters = new CopyParameters(target.pulpId, source.pulpId, version, tags, request.names(),
                request.digests(), request.media_types(), !Boolean.FALSE.equals(request.include_signatures()));
        List<String> shared = source.id.equals(target.id) ? List.of() : List.of(source.resource());
        return dispatcher.dispatch(COPY, parameters, List.of(target.resource()), shared);
    }

    public TaskRef update(UUID repository, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("a JSON object is required");
        }
        body.fieldNames().forEachRemaining(field -> {
            if (!Set.of("name", "description", "retain_repo_versions", "remote", "pulp_labels").contains(field)) {
                throw ApiException.field(field, "unknown or read-only field");
            }
        });
        if (body.has("retain_repo_versions") && !body.get("retain_repo_versions").isNull()
                && (!body.get("retain_repo_versions").canConvertToInt() || body.get("retain_repo_versions").asInt() < 1)) {
            throw ApiException.field("retain_repo_versions", "must be at least 1, or null to keep every version");
        }
        Labels.read("pulp_labels", body.get("pulp_labels"));
        Repository current = repositories.get(repository);
        return dispatcher.dispatch(UPDATE, Map.of("repository", repository, "changes", body),
                List.of(current.resource()), List.of());
    }

    public TaskRef delete(Repository repository) {
        return dispatcher.dispatch(DELETE, Map.of("repository", repository.pulpId), List.of(repository.resource()), List.of());
    }

    public TaskRef deleteVersion(Repository repository, int number) {
        if (number == repository.latestVersion) {
            throw ApiException.badRequest("the latest version of a repository cannot be deleted");
        }
        return dispatcher.dispatch(DELETE_VERSION, Map.of("repository", repository.pulpId, "number", number),
                List.of(repository.resource()), List.of());
    }
}
