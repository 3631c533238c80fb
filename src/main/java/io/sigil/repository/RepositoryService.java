package io.sigil.repository;

import io.sigil.common.ApiException;
import io.sigil.common.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Repositories and their versions: creation, lookup, settings, version deletion and retention. */
@ApplicationScoped
public class RepositoryService {

    /** Repository names: also registry paths, so letters, digits and {@code . _ / -}, starting with a letter or digit. */
    public static final String NAME_REGEX = "[A-Za-z0-9][A-Za-z0-9._/-]{0,254}";
    public static final String NAME_RULE = "a name of 1 to 255 letters, digits and . _ / - is required";
    private static final Pattern NAME = Pattern.compile(NAME_REGEX);

    @Inject
    EntityManager em;

    /** Creates a repository with its empty version 0. */
    @Transactional
    public Repository create(String name, String description, Integer retainRepoVersions) {
        return create(name, description, retainRepoVersions, null, null);
    }

    /** Creates a repository with its empty version 0, its default remote (a remote's pulp_id) and its labels. */
    @Transactional
    public Repository create(String name, String description, Integer retainRepoVersions, UUID remote,
                             java.util.Map<String, String> labels) {
        validateName(name);
        validateRetention(retainRepoVersions);
        if (Repository.count("name", name) > 0) {
            throw ApiException.field("name", "a repository named '" + name + "' already exists");
        }
        Repository repository = new Repository();
        repository.name = name;
        repository.description = description;
        repository.retainRepoVersions = retainRepoVersions;
        repository.remoteId = remote;
        if (labels != null) {
            repository.pulpLabels = labels;
        }
        repository.persist();
        RepositoryVersion zero = new RepositoryVersion();
        zero.repository = repository;
        zero.number = 0;
        zero.persist();
        em.flush();
        em.refresh(repository);
        return repository;
    }

    public Repository get(UUID id) {
        return Repository.<Repository>find("pulpId", id).firstResultOptional()
                .orElseThrow(() -> ApiException.notFound("repository " + id + " does not exist"));
    }

    public Optional<Repository> findByName(String name) {
        return Repository.find("name", name).firstResultOptional();
    }

    public RepositoryVersion version(UUID repositoryId, int number) {
        return RepositoryVersion.<RepositoryVersion>find("repository.pulpId = ?1 and number = ?2", repositoryId, number)
                .firstResultOptional()
                .orElseThrow(() -> ApiException.notFound("version " + number + " of repository " + repositoryId + " does not exist"));
    }

    public RepositoryVersion latestVersion(Repository repository) {
        return RepositoryVersion.find("repository.id = ?1 and number = ?2", repository.id, repository.latestVersion).firstResult();
    }

    @Transactional
    public Repository update(UUID id, String name, String description, Integer retainRepoVersions, boolean retainGiven) {
        return update(id, name, description, retainRepoVersions, retainGiven, r -> { });
    }

    /** As above, then {@code more} changes further fields (remote, labels) of the locked repository. */
    @Transactional
    public Repository update(UUID id, String name, String description, Integer retainRepoVersions, boolean retainGiven,
                             java.util.function.Consumer<Repository> more) {
        Repository repository = em.find(Repository.class, get(id).id, LockModeType.PESSIMISTIC_WRITE);
        more.accept(repository);
        if (name != null && !name.equals(repository.name)) {
            validateName(name);
            if (Repository.count("name", name) > 0) {
                throw ApiException.field("name", "a repository named '" + name + "' already exists");
            }
            repository.name = name;
        }
        if (description != null) {
            repository.description = description;
        }
        if (retainGiven) {
            validateRetention(retainRepoVersions);
            repository.retainRepoVersions = retainRepoVersions;
            applyRetention(repository);
        }
        repository.pulpLastUpdated = java.time.OffsetDateTime.now();
        return repository;
    }

    @Transactional
    public void delete(UUID id) {
        Repository repository = em.find(Repository.class, get(id).id, LockModeType.PESSIMISTIC_WRITE);
        em.createNativeQuery("DELETE FROM repository_content WHERE repository_id = ?1").setParameter(1, repository.id).executeUpdate();
        em.createNativeQuery("DELETE FROM repository_version WHERE repository_id = ?1").setParameter(1, repository.id).executeUpdate();
        repository.delete();
    }

    /**
     * Deletes a version other than the latest. Its changes fold into the next version, so every other version keeps
     * exactly the content it had.
     */
    @Transactional
    public void deleteVersion(UUID repositoryId, int number) {
        Repository repository = em.find(Repository.class, get(repositoryId).id, LockModeType.PESSIMISTIC_WRITE);
        em.refresh(repository);
        version(repositoryId, number);
        if (number == repository.latestVersion) {
            throw ApiException.badRequest("the latest version of a repository cannot be deleted");
        }
        fold(repository, number);
    }

    /** Keeps only the newest {@code retain_repo_versions} versions; the version writer calls it for each version. */
    @Transactional(Transactional.TxType.MANDATORY)
    void applyRetention(Repository repository) {
        if (repository.retainRepoVersions == null) {
            return;
        }
        List<RepositoryVersion> old = RepositoryVersion.list("repository.id = ?1 and number <= ?2 order by number",
                repository.id, repository.latestVersion - repository.retainRepoVersions);
        old.forEach(v -> fold(repository, v.number));
    }

    private void fold(Repository repository, int number) {
        RepositoryVersion next = RepositoryVersion.find("repository.id = ?1 and number > ?2 order by number",
                repository.id, number).firstResult();
        Sql.with(em, sql -> foldInto(sql, repository.id, number, next.number));
        em.createNativeQuery("UPDATE repository_version SET base_version = NULL WHERE repository_id = ?1 AND base_version = ?2")
                .setParameter(1, repository.id).setParameter(2, number).executeUpdate();
        RepositoryVersion.delete("repository.id = ?1 and number = ?2", repository.id, number);
        em.flush();
        em.refresh(next);
        next.summary = recount(repository.id, next.number, next.summary);
    }

    /** Rewrites the membership rows that mention version {@code number} as if it had never existed. */
    private static Void foldInto(Sql sql, long repositoryId, int number, int next) throws SQLException {
        // Units that lived only in the deleted version.
        sql.update("DELETE FROM repository_content WHERE repository_id = ? AND version_added = ? AND version_removed = ?",
                repositoryId, number, next);
        // A unit removed in the deleted version and re-added in the next one simply stays: merge its two rows.
        List<Object[]> readded = sql.query("""
                SELECT a.content_id, a.version_removed FROM repository_content a JOIN repository_content o
                  ON o.repository_id = a.repository_id AND o.content_id = a.content_id AND o.version_removed = ?
                WHERE a.repository_id = ? AND a.version_added = ?""",
                rs -> new Object[] {rs.getLong(1), rs.getObject(2)}, number, repositoryId, next);
        for (Object[] row : readded) {
            sql.update("DELETE FROM repository_content WHERE repository_id = ? AND content_id = ? AND version_added = ?",
                    repositoryId, row[0], next);
            sql.update("UPDATE repository_content SET version_removed = ? WHERE repository_id = ? AND content_id = ? "
                    + "AND version_removed = ?", row[1], repositoryId, row[0], number);
        }
        sql.update("UPDATE repository_content SET version_added = ? WHERE repository_id = ? AND version_added = ?",
                next, repositoryId, number);
        sql.update("UPDATE repository_content SET version_removed = ? WHERE repository_id = ? AND version_removed = ?",
                next, repositoryId, number);
        return null;
    }

    private ContentSummary recount(long repositoryId, int number, ContentSummary current) {
        return Sql.with(em, sql -> {
            java.util.Map<String, Long> added = new java.util.TreeMap<>();
            java.util.Map<String, Long> removed = new java.util.TreeMap<>();
            sql.query("SELECT pulp_type, count(*) FROM repository_content WHERE repository_id = ? AND version_added = ? GROUP BY pulp_type",
                    rs -> added.put(rs.getString(1), rs.getLong(2)), repositoryId, number);
            sql.query("SELECT pulp_type, count(*) FROM repository_content WHERE repository_id = ? AND version_removed = ? GROUP BY pulp_type",
                    rs -> removed.put(rs.getString(1), rs.getLong(2)), repositoryId, number);
            return new ContentSummary(added, removed, current.present());
        });
    }

    private static void validateName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.field("name", NAME_RULE);
        }
    }

    private static void validateRetention(Integer retain) {
        if (retain != null && retain < 1) {
            throw ApiException.field("retain_repo_versions", "must be at least 1, or null to keep every version");
        }
    }
}
