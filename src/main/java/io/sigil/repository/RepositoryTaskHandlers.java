package io.sigil.repository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.common.Labels;
import io.sigil.common.Sql;
import io.sigil.signature.RevokedKeys;
import io.sigil.tasks.TaskContext;
import io.sigil.tasks.TaskHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/** The task handlers behind repository changes. Each writes at most one version, in one transaction. */
final class RepositoryTaskHandlers {

    private RepositoryTaskHandlers() {
    }

    /** Writes one version in one transaction, planned under the repository's lock, through the version writer. */
    @ApplicationScoped
    static class VersionTasks {
        @Inject
        VersionWriter writer;
        @Inject
        RepositoryService repositories;
        @Inject
        RevokedSignatureGuard guard;
        @Inject
        EntityManager em;

        /** {@code change} may add entries to {@code report}, which the result then carries after the version. */
        Map<String, Object> write(TaskContext context, UUID repositoryId, Function<Repository, VersionChange> change,
                                  Map<String, Object> report) {
            Optional<String> href = QuarkusTransaction.requiringNew().call(() -> {
                // Locked before planning: the change reads the latest version, which must stay the latest.
                Repository repository = writer.lock(repositories.get(repositoryId).id, context);
                VersionChange planned = change.apply(repository).plannedOn(repository.latestVersion);
                return writer.write(repository.id, planned, context).map(v -> Hrefs.version(repositoryId, v.number));
            });
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("version", href.orElse("unchanged"));
            result.putAll(report);
            return result;
        }

        /**
         * Leaves the signatures by revoked keys out of {@code units}, reporting them in {@code report} and progress.
         * Runs inside the version's transaction.
         */
        Set<Long> withoutRevoked(TaskContext context, Set<Long> units, Map<String, Object> report) {
            List<RevokedKeys.RevokedSignature> revoked = guard.among(units);
            if (revoked.isEmpty()) {
                return units;
            }
            report.put("revoked_signatures_skipped", revoked.size());
            report.put("skipped_signatures", revoked.stream().map(RevokedSignatureGuard::describe).toList());
            context.progress("repository.revoked_signatures", "Leaving out signatures by revoked keys", revoked.size(),
                    (long) revoked.size());
            return Sql.with(em, sql -> RevokedSignatureGuard.without(sql, units, revoked));
        }
    }

    @ApplicationScoped
    static class Modify implements TaskHandler {
        @Inject
        VersionTasks versions;
        @Inject
        ObjectMapper mapper;

        @Inject
        RevokedSignatureGuard guard;
        @Inject
        EntityManager em;

        @Override
        public String name() {
            return RepositoryTasks.MODIFY;
        }

        @Override
        public Object run(TaskContext context) throws Exception {
            var p = mapper.treeToValue(context.parameters(), RepositoryTasks.ModifyParameters.class);
            Map<String, Object> report = new LinkedHashMap<>();
            return versions.write(context, p.repository(), repository -> {
                guard.refuse("add_content_units", p.add()); // again: a key may have been revoked since dispatch
                Set<Long> remove = new HashSet<>(p.remove());
                if (p.baseVersion() != null && !p.removeAll()) { // an older version may hold what invalidation removed
                    Set<Long> base = Sql.with(em, sql -> Membership.of(sql, repository.id, p.baseVersion(),
                            p.baseVersion() == repository.latestVersion).signatures());
                    Set<Long> kept = versions.withoutRevoked(context, base, report);
                    base.removeAll(kept);
                    remove.addAll(base);
                }
                return new VersionChange(p.baseVersion(), p.add(), remove, p.removeAll());
            }, report);
        }
    }

    @ApplicationScoped
    static class Copy implements TaskHandler {
        @Inject
        VersionTasks versions;
        @Inject
        RepositoryService repositories;
        @Inject
        EntityManager em;
        @Inject
        ObjectMapper mapper;

        @Override
        public String name() {
            return RepositoryTasks.COPY;
        }

        @Override
        public Object run(TaskContext context) throws Exception {
            var p = mapper.treeToValue(context.parameters(), RepositoryTasks.CopyParameters.class);
            Map<String, Object> report = new LinkedHashMap<>();
            return versions.write(context, p.repository(), target -> {
                Repository source = repositories.get(p.sourceRepository());
                Set<Long> units = Sql.with(em, sql -> new CopySelection(sql, source.id, p.sourceVersion(),
                        p.sourceVersion() == source.latestVersion).select(p));
                return VersionChange.adding(versions.withoutRevoked(context, units, report));
            }, report);
        }
    }

    @ApplicationScoped
    static class Update implements TaskHandler {
        @Inject
        RepositoryService repositories;

        @Override
        public String name() {
            return RepositoryTasks.UPDATE;
        }

        @Override
        public Object run(TaskContext context) {
            UUID id = UUID.fromString(context.parameters().get("repository").asText());
            JsonNode changes = context.parameters().get("changes");
            JsonNode retain = changes.get("retain_repo_versions");
            QuarkusTransaction.requiringNew().run(() -> {
                context.fence(); // retention may fold versions away
                repositories.update(id, text(changes, "name"), text(changes, "description"),
                        retain == null || retain.isNull() ? null : retain.asInt(), changes.has("retain_repo_versions"),
                        repository -> {
                            if (changes.has("remote")) { // the API resolved the href to the remote's id
                                repository.remoteId = changes.get("remote").isNull() ? null
                                        : UUID.fromString(changes.get("remote").asText());
                            }
                            if (changes.has("pulp_labels")) {
                                Map<String, String> labels = Labels.read("pulp_labels", changes.get("pulp_labels"));
                                repository.pulpLabels = labels == null ? new java.util.HashMap<>() : labels;
                            }
                        });
            });
            return Map.of("repository", Hrefs.repository(id));
        }

        private static String text(JsonNode node, String field) {
            return node.hasNonNull(field) ? node.get(field).asText() : null;
        }
    }

    @ApplicationScoped
    static class Delete implements TaskHandler {
        @Inject
        RepositoryService repositories;

        @Override
        public String name() {
            return RepositoryTasks.DELETE;
        }

        @Override
        public Object run(TaskContext context) {
            QuarkusTransaction.requiringNew().run(() -> {
                context.fence();
                repositories.delete(UUID.fromString(context.parameters().get("repository").asText()));
            });
            return null;
        }
    }

    @ApplicationScoped
    static class DeleteVersion implements TaskHandler {
        @Inject
        RepositoryService repositories;

        @Override
        public String name() {
            return RepositoryTasks.DELETE_VERSION;
        }

        @Override
        public Object run(TaskContext context) {
            QuarkusTransaction.requiringNew().run(() -> {
                context.fence();
                repositories.deleteVersion(UUID.fromString(context.parameters().get("repository").asText()),
                        context.parameters().get("number").asInt());
            });
            return null;
        }
    }
}
