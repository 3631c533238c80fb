package io.sigil.repository;

import io.sigil.common.ApiException;
import io.sigil.common.Sql;
import io.sigil.content.ContentType;
import io.sigil.tasks.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The only way a repository changes, and the whole commit of a version: one transaction that writes one new version,
 * or nothing when the change is empty. Under the repository's row lock it decides what "latest" is, completes the
 * change, writes the delta, applies the repository's retention, records the version on the task that made it, and —
 * once the transaction commits — tells the caches ({@link VersionWritten}). A task's write first passes the task's
 * fence ({@link TaskContext#fence()}): a task that no longer runs on its worker writes nothing.
 * <p>
 * It completes the requested change so that every version keeps the invariants:
 * <ul>
 *   <li>a tag's manifest, a manifest's blobs and children, and a signature's manifest are in the version;</li>
 *   <li>a tag name appears once (a new tag unit replaces the one with the same name);</li>
 *   <li>removing a manifest removes its tags, signatures and referrers, and the blobs and children nothing else
 *       needs; removing a unit that a kept manifest needs is refused (409) naming what needs it.</li>
 * </ul>
 * The work is proportional to the size of the change, not of the repository: only the delta is written, and every
 * question about the base version is an index lookup over the units involved.
 */
@ApplicationScoped
public class VersionWriter {

    @Inject
    EntityManager em;

    @Inject
    RepositoryService repositories;

    @Inject
    Event<VersionWritten> written;

    /**
     * Passes the task's fence ({@code task} null for a registry push, which is no task) and locks the repository for
     * the rest of the caller's transaction: its latest version cannot change until then. Callers that plan a change
     * from the latest version lock first and plan after; {@link #write} locks again harmlessly.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Repository lock(long repositoryId, TaskContext task) {
        if (task != null) {
            task.fence();
        }
        Repository repository = em.find(Repository.class, repositoryId, LockModeType.PESSIMISTIC_WRITE);
        if (repository == null) {
            throw ApiException.notFound("repository " + repositoryId + " does not exist");
        }
        em.refresh(repository);
        return repository;
    }

    /**
     * Applies the change in the caller's transaction; returns the new version, or empty when nothing changed.
     * {@code task} is the task writing (null for a registry push): the version is recorded among its created resources.
     * After this a task must not report progress in the same transaction (its row is held until the commit).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<RepositoryVersion> write(long repositoryId, VersionChange change, TaskContext task) {
        Repository repository = lock(repositoryId, task);
        int latest = repository.latestVersion;
        if (change.plannedOn() != null && change.plannedOn() != latest) {
            throw new IllegalStateException("the change was planned on version " + change.plannedOn() + " of repository "
                    + repository.name + ", but version " + latest + " was written meanwhile; lock before planning");
        }
        int base = change.baseVersion() == null ? latest : change.baseVersion();
        if (base != latest && RepositoryVersion.count("repository.id = ?1 and number = ?2", repositoryId, base) == 0) {
            throw ApiException.field("base_version", "version " + base + " of this repository does not exist");
        }
        Delta fromBase = Sql.with(em, sql -> new Planner(sql, repositoryId, base, base == latest).plan(change));
        Delta delta = base == latest ? fromBase : Sql.with(em, sql -> rebase(sql, repositoryId, base, fromBase));
        if (delta.isEmpty()) {
            return Optional.empty();
        }
        RepositoryVersion version = record(repository, base, delta);
        repositories.applyRetention(repository);
        written.fire(new VersionWritten(repository.id, repository.pulpId, version.number));
        if (task != null) {
            task.recordCreated(Hrefs.version(repository.pulpId, version.number));
        }
        return Optional.of(version);
    }

    private RepositoryVersion record(Repository repository, int base, Delta delta) {
        int number = repository.latestVersion + 1;
        Map<Long, String> types = Sql.with(em, sql -> {
            Units units = new Units(sql);
            Set<Long> all = new HashSet<>(delta.added);
            all.addAll(delta.removed);
            Map<Long, String> t = units.types(all);
            sql.update("UPDATE repository_content SET version_removed = ? WHERE repository_id = ? "
                    + "AND content_id = ANY(?) AND version_removed IS NULL", number, repository.id, sql.ids(delta.removed));
            sql.update("INSERT INTO repository_content (repository_id, content_id, pulp_type, version_added) "
                    + "SELECT ?, c.id, c.pulp_type, ? FROM content c WHERE c.id = ANY(?)",
                    repository.id, number, sql.ids(delta.added));
            return t;
        });
        RepositoryVersion previous = RepositoryVersion.find("repository.id = ?1 and number = ?2",
                repository.id, repository.latestVersion).firstResult();
        RepositoryVersion version = new RepositoryVersion();
        version.repository = repository;
        version.number = number;
        version.baseVersion = base;
        version.summary = ContentSummary.next(previous == null ? ContentSummary.EMPTY : previous.summary,
                countByType(delta.added, types), countByType(delta.removed, types));
        version.persist();
        repository.latestVersion = number;
        repository.pulpLastUpdated = java.time.OffsetDateTime.now();
        return version;
    }

    private static Map<String, Long> countByType(Set<Long> ids, Map<Long, String> types) {
        return ids.stream().collect(Collectors.groupingBy(types::get, Collectors.counting()));
    }

    /** Re-expresses a delta planned against an older base version as a delta against the latest version. */
    private static Delta rebase(Sql sql, long repositoryId, int base, Delta fromBase) throws SQLException {
        Membership inBase = Membership.of(sql, repositoryId, base, false);
        Set<Long> baseUnits = new HashSet<>(sql.query("SELECT rc.content_id FROM repository_content rc WHERE rc.repository_id = ? AND "
                + inBase.condition(), rs -> rs.getLong(1), repositoryId));
        Set<Long> latestUnits = new HashSet<>(sql.query("SELECT rc.content_id FROM repository_content rc "
                + "WHERE rc.repository_id = ? AND rc.version_removed IS NULL", rs -> rs.getLong(1), repositoryId));
        Set<Long> target = new HashSet<>(baseUnits);
        target.removeAll(fromBase.removed);
        target.addAll(fromBase.added);
        Set<Long> added = new HashSet<>(target);
        added.removeAll(latestUnits);
        Set<Long> removed = new HashSet<>(latestUnits);
        removed.removeAll(target);
        return new Delta(added, removed);
    }

    record Delta(Set<Long> added, Set<Long> removed) {
        boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty();
        }
    }

    /** Completes a requested change against one base version. */
    private static final class Planner {
        private final Sql sql;
        private final long repositoryId;
        private final Membership base;
        private final Units units;

        Planner(Sql sql, long repositoryId, int baseNumber, boolean baseIsLatest) {
            this.sql = sql;
            this.repositoryId = repositoryId;
            this.base = Membership.of(sql, repositoryId, baseNumber, baseIsLatest);
            this.units = new Units(sql);
        }

        Delta plan(VersionChange change) throws SQLException {
            units.hold(change.add());
            Map<Long, String> requestedTypes = units.types(union(change.add(), change.remove()));
            requireKnown(change.add(), requestedTypes, "add_content_units");
            requireKnown(change.remove(), requestedTypes, "remove_content_units");
            Set<Long> add = closureToAdd(change.add());
            Set<Long> remove = change.removeAll() ? everythingInBase() : base.present(change.remove());
            remove.addAll(dependentsOfRemovedManifests(manifests(remove)));
            remove.addAll(tagsReplacedBy(add));
            remove.addAll(orphanedDependencies(remove, add));
            if (!change.removeAll()) {
                refuseNeededRemovals(change.remove(), requestedTypes, remove, add);
            }
            remove.removeAll(add);
            add.removeAll(base.present(add));
            return new Delta(add, remove);
        }

        private void requireKnown(Set<Long> ids, Map<Long, String> types, String field) {
            List<Long> unknown = ids.stream().filter(id -> !types.containsKey(id)).toList();
            if (!unknown.isEmpty()) {
                throw ApiException.field(field, "unknown content units: " + unknown);
            }
        }

        private Set<Long> everythingInBase() throws SQLException {
            return new HashSet<>(sql.query("SELECT rc.content_id FROM repository_content rc WHERE rc.repository_id = ? AND "
                    + base.condition(), rs -> rs.getLong(1), repositoryId));
        }

        /** Tags bring their manifest, signatures theirs, manifests their blobs and children, recursively. */
        private Set<Long> closureToAdd(Set<Long> requested) throws SQLException {
            Set<Long> add = new HashSet<>(requested);
            Set<Long> frontier = manifests(requested);
            frontier.addAll(units.manifestsOf(requested));
            add.addAll(frontier);
            while (!frontier.isEmpty()) {
                Set<Long> dependencies = units.dependenciesOf(frontier);
                dependencies.removeAll(add);
                add.addAll(dependencies);
                frontier = manifests(dependencies);
            }
            return add;
        }

        /** Tags, signatures and referrers (cosign attachments, OCI subjects) of removed manifests, transitively. */
        private Set<Long> dependentsOfRemovedManifests(Set<Long> removedManifests) throws SQLException {
            Set<Long> dependents = new HashSet<>();
            Set<Long> frontier = removedManifests;
            while (!frontier.isEmpty()) {
                dependents.addAll(base.tagsOf(frontier));
                dependents.addAll(base.signaturesOf(frontier));
                Set<Long> referrers = base.referrersOf(frontier);
                referrers.removeAll(dependents);
                referrers.removeAll(removedManifests);
                dependents.addAll(referrers);
                frontier = referrers;
            }
            return dependents;
        }

        /** A tag name appears once per version: an added tag unit replaces the base's unit of that name. */
        private Set<Long> tagsReplacedBy(Set<Long> add) throws SQLException {
            Map<Long, String> addedTags = units.tagNames(add);
            Map<String, Long> byName = new HashMap<>();
            addedTags.forEach((id, name) -> {
                Long other = byName.put(name, id);
                if (other != null) {
                    throw ApiException.field("add_content_units", "two tags named '" + name + "' cannot be in one version");
                }
            });
            Set<Long> replaced = new HashSet<>(base.tagsNamed(addedTags.values()).keySet());
            replaced.removeAll(add);
            return replaced;
        }

        /** Blobs and children of removed manifests that no kept or added manifest and no kept tag still needs. */
        private Set<Long> orphanedDependencies(Set<Long> remove, Set<Long> add) throws SQLException {
            Set<Long> orphaned = new HashSet<>();
            Set<Long> candidates = units.dependenciesOf(manifests(remove));
            while (!candidates.isEmpty()) {
                candidates = base.present(candidates);
                candidates.removeAll(add);
                candidates.removeAll(remove);
                candidates.removeAll(orphaned);
                Map<Long, Set<Long>> users = base.manifestsNeeding(candidates);
                Set<Long> tagged = taggedManifests(candidates, remove, orphaned);
                Set<Long> released = new HashSet<>();
                for (Long candidate : candidates) {
                    Set<Long> keptUsers = new HashSet<>(users.getOrDefault(candidate, Set.of()));
                    keptUsers.removeAll(remove);
                    keptUsers.removeAll(orphaned);
                    if (keptUsers.isEmpty() && !tagged.contains(candidate)) {
                        released.add(candidate);
                    }
                }
                orphaned.addAll(released);
                Set<Long> releasedManifests = manifests(released);
                orphaned.addAll(dependentsOfRemovedManifests(releasedManifests));
                candidates = units.dependenciesOf(releasedManifests);
            }
            return orphaned;
        }

        private Set<Long> taggedManifests(Set<Long> candidates, Set<Long> remove, Set<Long> orphaned) throws SQLException {
            Set<Long> tags = base.tagsOf(candidates);
            tags.removeAll(remove);
            tags.removeAll(orphaned);
            return units.manifestsOf(tags);
        }

        /** A blob or manifest asked to go while a kept manifest needs it: refuse, naming who needs it. */
        private void refuseNeededRemovals(Set<Long> requested, Map<Long, String> types, Set<Long> remove, Set<Long> add)
                throws SQLException {
            Set<Long> needable = new HashSet<>();
            for (Long id : base.present(requested)) {
                String type = types.get(id);
                if (ContentType.BLOB_NAME.equals(type) || ContentType.MANIFEST_NAME.equals(type)) {
                    needable.add(id);
                }
            }
            Map<Long, List<Long>> conflicts = new HashMap<>();
            base.manifestsNeeding(needable).forEach((unit, users) -> {
                List<Long> kept = users.stream().filter(u -> !remove.contains(u) || add.contains(u)).toList();
                if (!kept.isEmpty()) {
                    conflicts.put(unit, kept);
                }
            });
            if (!conflicts.isEmpty()) {
                throw neededConflict(conflicts);
            }
        }

        private ApiException neededConflict(Map<Long, List<Long>> conflicts) throws SQLException {
            Set<Long> all = new HashSet<>(conflicts.keySet());
            conflicts.values().forEach(all::addAll);
            Map<Long, String> names = units.describe(all);
            Map<String, Object> neededBy = new HashMap<>();
            List<String> parts = new ArrayList<>();
            conflicts.forEach((unit, users) -> {
                List<String> userNames = users.stream().map(names::get).sorted().toList();
                neededBy.put(names.get(unit), userNames);
                parts.add(names.get(unit) + " is needed by " + String.join(", ", userNames));
            });
            return ApiException.conflict("cannot remove content that kept content needs: " + String.join("; ", parts),
                    Map.of("needed_by", neededBy));
        }

        private Set<Long> manifests(Set<Long> ids) throws SQLException {
            Set<Long> manifests = new HashSet<>();
            units.types(ids).forEach((id, type) -> {
                if (ContentType.MANIFEST_NAME.equals(type)) {
                    manifests.add(id);
                }
            });
            return manifests;
        }

        private static Set<Long> union(Set<Long> a, Set<Long> b) {
            Set<Long> all = new HashSet<>(a);
            all.addAll(b);
            return all;
        }
    }
}
