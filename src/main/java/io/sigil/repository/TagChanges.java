package io.sigil.repository;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.common.ApiException;
import io.sigil.content.ContentStore;
import io.sigil.content.Manifest;
import io.sigil.tasks.TaskContext;
import io.sigil.tasks.TaskDispatcher;
import io.sigil.tasks.TaskHandler;
import io.sigil.tasks.TaskRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Pulp's {@code tag} and {@code untag} on a repository: point a tag name at a manifest of the latest version, or drop
 * a tag, each in one new version (none when nothing changes). Checked before dispatch and again in the task, which
 * runs under the repository lock.
 */
@ApplicationScoped
public class TagChanges {

    public static final String TAG = "repository.tag";
    public static final String UNTAG = "repository.untag";

    @Inject
    TaskDispatcher dispatcher;
    @Inject
    EntityManager em;

    record TagParameters(UUID repository, String tag, String digest) {
    }

    @Transactional
    public TaskRef tag(Repository repository, String tag, String digest) {
        manifestInLatest(repository.id, digest).orElseThrow(() -> ApiException.field("digest",
                "no manifest " + digest + " in the latest version of repository " + repository.name));
        return dispatcher.dispatch(TAG, new TagParameters(repository.pulpId, tag, digest),
                List.of(repository.resource()), List.of());
    }

    @Transactional
    public TaskRef untag(Repository repository, String tag) {
        tagInLatest(repository.id, tag).orElseThrow(() -> ApiException.field("tag",
                "the latest version of repository " + repository.name + " has no tag '" + tag + "'"));
        return dispatcher.dispatch(UNTAG, new TagParameters(repository.pulpId, tag, null),
                List.of(repository.resource()), List.of());
    }

    Optional<Long> manifestInLatest(long repositoryId, String digest) {
        return first(em.createNativeQuery("SELECT m.id FROM manifest m JOIN repository_content rc ON rc.content_id = m.id "
                        + "WHERE rc.repository_id = ?1 AND rc.version_removed IS NULL AND m.digest = ?2", Long.class)
                .setParameter(1, repositoryId).setParameter(2, digest).getResultList());
    }

    Optional<Long> tagInLatest(long repositoryId, String tag) {
        return first(em.createNativeQuery("SELECT t.id FROM tag t JOIN repository_content rc ON rc.content_id = t.id "
                        + "WHERE rc.repository_id = ?1 AND rc.version_removed IS NULL AND t.name = ?2", Long.class)
                .setParameter(1, repositoryId).setParameter(2, tag).getResultList());
    }

    private static Optional<Long> first(List<?> ids) {
        return ids.isEmpty() ? Optional.empty() : Optional.of(((Number) ids.get(0)).longValue());
    }

    @ApplicationScoped
    static class Tag implements TaskHandler {
        @Inject
        RepositoryTaskHandlers.VersionTasks versions;
        @Inject
        TagChanges changes;
        @Inject
        ContentStore content;
        @Inject
        ObjectMapper mapper;

        @Override
        public String name() {
            return TAG;
        }

        @Override
        public Object run(TaskContext context) throws Exception {
            var p = mapper.treeToValue(context.parameters(), TagParameters.class);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("tag", p.tag());
            report.put("digest", p.digest());
            return versions.write(context, p.repository(), repository -> {
                long manifest = changes.manifestInLatest(repository.id, p.digest()).orElseThrow(() -> ApiException.field(
                        "digest", "manifest " + p.digest() + " left repository " + repository.name + " before it was tagged"));
                return VersionChange.adding(Set.of(content.tag(p.tag(), Manifest.findById(manifest)).id));
            }, report);
        }
    }

    @ApplicationScoped
    static class Untag implements TaskHandler {
        @Inject
        RepositoryTaskHandlers.VersionTasks versions;
        @Inject
        TagChanges changes;
        @Inject
        ObjectMapper mapper;

        @Override
        public String name() {
            return UNTAG;
        }

        @Override
        public Object run(TaskContext context) throws Exception {
            var p = mapper.treeToValue(context.parameters(), TagParameters.class);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("tag", p.tag());
            return versions.write(context, p.repository(), repository -> changes.tagInLatest(repository.id, p.tag())
                    .map(tag -> VersionChange.removing(Set.of(tag))).orElse(VersionChange.adding(Set.of())), report);
        }
    }
}
