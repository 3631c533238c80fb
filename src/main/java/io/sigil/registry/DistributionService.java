package io.sigil.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sigil.auth.Caller;
import io.sigil.auth.LockedRoles;
import io.sigil.auth.Namespaces;
import io.sigil.auth.ObjectRef;
import io.sigil.auth.Perm;
import io.sigil.auth.Permissions;
import java.util.Map;

import io.sigil.common.ApiException;
import io.sigil.common.Sql;
import io.sigil.repository.Hrefs;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryService;
import io.sigil.repository.RepositoryVersion;
import io.sigil.signature.TrustedKey;
import io.sigil.signing.SignaturePolicy;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Distributions: CRUD (synchronous, in one short transaction each) and the base-path resolution every registry request
 * starts with. Resolutions are cached for a short time; this process drops the cache after each committed change, so
 * only other processes may serve a stale distribution, for at most the cache's lifetime. The cache also remembers
 * base paths that name no distribution (every request for one would otherwise reach the database), so it is bounded
 * in entries: anonymous requests for random names cannot make it grow without end.
 */
@ApplicationScoped
public class DistributionService {

    /** Pulp's rule for each segment of a base path. */
    private static final Pattern SEGMENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*");
    private static final int MAX_BASE_PATH = 255;
    private static final Pattern KEY_HREF = Pattern.compile(Pattern.quote(TrustedKey.COLLECTION) + "([0-9a-f-]{36})/");

    @Inject
    EntityManager em;
    @Inject
    RepositoryService repositories;
    @Inject
    TransactionSynchronizationRegistry transactions;
    @Inject
    PendingBlobs pending;
    @Inject
    Permissions permissions;
    @Inject
    Namespaces namespaces;

    @ConfigProperty(name = "sigil.registry.distribution-cache", defaultValue = "2s")
    Duration cacheLifetime;

    @ConfigProperty(name = "sigil.registry.distribution-cache-size", defaultValue = "10000")
    long cacheSize;

    /** Base path → what it serves (empty: no distribution there). */
    private Cache<String, Optional<ServedRepository>> cache;

    @PostConstruct
    void buildCache() {
        cache = Caffeine.newBuilder().maximumSize(cacheSize).expireAfterWrite(cacheLifetime).build();
    }

    public static boolean isValidBasePath(String path) {
        if (path == null || path.isEmpty() || path.length() > MAX_BASE_PATH) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The base path of the one distribution serving the repository (its latest or a pinned version), if exactly one
     * does: clients pull the repository by that path, so signatures name it (as Pulp signs for it).
     */
    @Transactional
    public Optional<String> onlyBasePathServing(UUID repositoryId) {
        List<String> paths = Distribution.<Distribution>find("select d from Distribution d left join d.repository r "
                + "left join d.repositoryVersion v left join v.repository vr where r.pulpId = ?1 or vr.pulpId = ?1",
                repositoryId).page(0, 2).list().stream().map(d -> d.basePath).toList();
        return paths.size() == 1 ? Optional.of(paths.get(0)) : Optional.empty();
    }

    /** What the distribution at {@code basePath} serves, or empty when there is none. */
    public Optional<ServedRepository> resolve(String basePath) {
        Optional<ServedRepository> cached = cache.getIfPresent(basePath);
        if (cached != null) {
            return cached;
        }
        Optional<ServedRepository> served = load(basePath); // outside the cache's lock: it is a database read
        cache.put(basePath, served);
        return served;
    }

    /** How many resolutions the cache holds now (after pending evictions). */
    long cachedResolutions() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    @Transactional
    Optional<ServedRepository> load(String basePath) {
        return Distribution.<Distribution>find("basePath", basePath).firstResultOptional().map(this::served);
    }

    private ServedRepository served(Distribution d) {
        if (d.repositoryVersion != null) {
            return new ServedRepository(d.id, d.basePath, d.repositoryVersion.repository.id, d.repositoryVersion.number,
                    d.isPrivate, policy(d), d.pulpId);
        }
        return new ServedRepository(d.id, d.basePath, d.repository == null ? null : d.repository.id, null, d.isPrivate,
                policy(d), d.pulpId);
    }

    /** The policy with its keys' identities (the verdicts' key_identity) as of now; null when it is off. */
    public SignaturePolicy policy(Distribution d) {
        if (!d.requireSignatures) {
            return null;
        }
        List<String> identities = Sql.with(em, sql -> sql.query("SELECT k.fingerprint FROM distribution_policy_key p "
                + "JOIN trusted_key k ON k.id = p.trusted_key_id WHERE p.distribution_id = ? AND k.fingerprint IS NOT NULL",
                rs -> rs.getString(1), d.id));
        return new SignaturePolicy(Set.copyOf(identities), d.requireExactIdentity, d.signatureIdentity);
    }

    /** The policy as the API shows it (trusted-key hrefs); null when it is off. */
    public DistributionFields.PolicyFields policyFields(Distribution d) {
        if (!d.requireSignatures) {
            return null;
        }
        List<String> keys = Sql.with(em, sql -> sql.query("SELECT k.pulp_id FROM distribution_policy_key p "
                        + "JOIN trusted_key k ON k.id = p.trusted_key_id WHERE p.distribution_id = ? ORDER BY k.id",
                rs -> TrustedKey.COLLECTION + rs.getObject(1, UUID.class) + "/", d.id));
        return new DistributionFields.PolicyFields(keys, d.requireExactIdentity, d.signatureIdentity);
    }

    /**
     * The distribution a push to {@code basePath} goes to. As in Pulp, pushing to a path without one creates a
     * repository named after the path and a distribution serving it; concurrent first pushes create them once. Blobs
     * uploaded to the path before (which created nothing) become pending in the new repository. The pusher becomes
     * the owner of what the push creates (and of the namespace, if it was free); a repository of that name that
     * someone else owns is not taken over.
     */
    @Transactional
    public ServedRepository forPush(String basePath, Caller pusher) {
        Optional<ServedRepository> existing = resolve(basePath);
        if (existing.isPresent()) {
            return existing.get();
        }
        em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, "distribution:" + basePath).getSingleResult();
        Optional<Distribution> found = Distribution.find("basePath", basePath).firstResultOptional();
        if (found.isPresent()) {
            return served(found.get());
        }
        Optional<Repository> named = repositories.findByName(basePath);
        if (named.isPresent() && !permissions.has(pusher, Perm.MODIFY_REPOSITORY_CONTENT, ObjectRef.repository(named.get().pulpId))) {
            throw RegistryError.DENIED.with("repository " + basePath + " exists and belongs to someone else: pushing "
                    + "here needs the right to change its content", Map.of("name", basePath));
        }
        Repository repository = named.orElseGet(() -> {
            Repository created = repositories.create(basePath, null, null);
            permissions.grant(pusher, LockedRoles.REPOSITORY_OWNER, ObjectRef.repository(created.pulpId));
            return created;
        });
        Distribution distribution = new Distribution();
        distribution.name = basePath;
        distribution.basePath = basePath;
        distribution.repository = repository;
        distribution.persist();
        em.flush();
        pending.adopt(basePath, repository.id);
        namespaces.claim(Namespaces.nameOf(basePath), pusher, permissions);
        permissions.grant(pusher, LockedRoles.DISTRIBUTION_OWNER, ObjectRef.distribution(distribution.pulpId));
        clearCacheAfterCommit();
        return served(distribution);
    }

    @Transactional
    public Distribution create(DistributionFields fields) {
        Distribution d = new Distribution();
        requireField(fields.name(), "name");
        requireField(fields.basePath(), "base_path");
        apply(d, fields);
        d.persist();
        em.flush();
        em.refresh(d);
        clearCacheAfterCommit();
        return d;
    }

    @Transactional
    public Distribution update(UUID id, DistributionFields fields) {
        Distribution d = get(id);
        apply(d, fields);
        d.pulpLastUpdated = OffsetDateTime.now();
        clearCacheAfterCommit();
        return d;
    }

    /** Deletes the distribution only: the repository it served, push-created or not, stays. */
    @Transactional
    public void delete(UUID id) {
        get(id).delete();
        permissions.forget(ObjectRef.distribution(id));
        clearCacheAfterCommit();
    }

    public Distribution get(UUID id) {
        return Distribution.<Distribution>find("pulpId", id).firstResultOptional()
                .orElseThrow(() -> ApiException.notFound("distribution " + id + " does not exist"));
    }

    /** Base paths after {@code last} in order, at most {@code limit}; of private ones only those {@code reach} covers. */
    @Transactional
    public List<String> basePaths(String last, int limit, DistributionPermissions.Reach reach) {
        var query = em.createQuery("select d.basePath from Distribution d where d.basePath > :last "
                        + "and (d.repository is not null or d.repositoryVersion is not null) and " + visible(reach)
                        + " order by d.basePath", String.class)
                .setParameter("last", last == null ? "" : last).setMaxResults(limit);
        return withReach(query, reach).getResultList();
    }

    /** An HQL condition on {@code d}: public, or private and within {@code reach}. */
    public static String visible(DistributionPermissions.Reach reach) {
        return reach.all() ? "true" : "(d.isPrivate = false or d.pulpId in :reachIds "
                + "or function('split_part', d.basePath, '/', 1) in :reachNamespaces)";
    }

    public static <Q extends jakarta.persistence.Query> Q withReach(Q query, DistributionPermissions.Reach reach) {
        if (!reach.all()) {
            query.setParameter("reachIds", reach.distributions()).setParameter("reachNamespaces", reach.namespaceNames());
        }
        return query;
    }

    private void apply(Distribution d, DistributionFields f) {
        if (f.has("name")) {
            requireField(f.name(), "name");
            if (!f.name().equals(d.name) && Distribution.count("name", f.name()) > 0) {
                throw ApiException.field("name", "a distribution named '" + f.name() + "' already exists");
            }
            d.name = f.name();
        }
        if (f.has("base_path")) {
            if (!isValidBasePath(f.basePath())) {
                throw ApiException.field("base_path", "each '/'-separated segment must match "
                        + "^[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9])*$ and the whole path be at most 255 characters");
            }
            if (!f.basePath().equals(d.basePath) && Distribution.count("basePath", f.basePath()) > 0) {
                throw ApiException.field("base_path", "another distribution serves '" + f.basePath() + "'");
            }
            d.basePath = f.basePath();
        }
        if (f.has("pulp_labels")) {
            d.pulpLabels = f.pulpLabels() == null ? new java.util.HashMap<>() : f.pulpLabels();
        }
        if (f.has("repository")) {
            d.repository = f.repository() == null ? null : repository(f.repository());
        }
        if (f.has("repository_version")) {
            d.repositoryVersion = f.repositoryVersion() == null ? null : version(f.repositoryVersion());
        }
        if (d.repository != null && d.repositoryVersion != null) {
            throw ApiException.badRequest("only one of repository and repository_version may be set");
        }
        if (f.has("private")) {
            d.isPrivate = Boolean.TRUE.equals(f.isPrivate());
        }
        if (f.has("description")) {
            d.description = f.description();
        }
        if (f.has("signature_policy")) {
            applyPolicy(d, f.signaturePolicy());
        }
    }

    /** A policy replaces the previous one whole; null turns it off. */
    private void applyPolicy(Distribution d, DistributionFields.PolicyFields policy) {
        d.requireSignatures = policy != null;
        d.requireExactIdentity = policy != null && policy.exact();
        d.signatureIdentity = policy == null ? null : policy.reference();
        d.policyKeyIds.clear();
        if (policy == null) {
            return;
        }
        if (policy.keys() == null || policy.keys().isEmpty()) {
            throw ApiException.field("signature_policy", "keys must name at least one trusted key (an href under "
                    + TrustedKey.COLLECTION + ")");
        }
        if (policy.reference() != null) {
            try {
                SignaturePolicy.requireRepositoryReference(policy.reference());
            } catch (IllegalArgumentException e) {
                throw ApiException.field("signature_policy", "reference: " + e.getMessage());
            }
        }
        d.policyKeyIds.addAll(trustedKeyIds(policy.keys()));
    }

    /** Row ids of the trusted keys these hrefs name; 400 naming every href that names none. */
    private Set<Long> trustedKeyIds(List<String> hrefs) {
        Set<Long> ids = new HashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String href : hrefs) {
            var m = href == null ? null : KEY_HREF.matcher(href);
            List<Long> found = m == null || !m.matches() ? List.of() : Sql.with(em, sql -> sql.query(
                    "SELECT id FROM trusted_key WHERE pulp_id = ?", rs -> rs.getLong(1), UUID.fromString(m.group(1))));
            if (found.isEmpty()) {
                unknown.add(String.valueOf(href));
            } else {
                ids.add(found.get(0));
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiException.field("signature_policy", "keys: unknown trusted keys: " + String.join(", ", unknown));
        }
        return ids;
    }

    private Repository repository(String href) {
        UUID id = Hrefs.parseRepository(href);
        if (id == null) {
            throw ApiException.field("repository", "'" + href + "' is not a repository href");
        }
        return Repository.<Repository>find("pulpId", id).firstResultOptional()
                .orElseThrow(() -> ApiException.field("repository", "repository " + href + " does not exist"));
    }

    private RepositoryVersion version(String href) {
        Hrefs.VersionRef ref = Hrefs.parseVersion(href);
        if (ref == null) {
            throw ApiException.field("repository_version", "'" + href + "' is not a repository version href");
        }
        return RepositoryVersion.<RepositoryVersion>find("repository.pulpId = ?1 and number = ?2", ref.repository(),
                ref.number()).firstResultOptional().orElseThrow(() -> ApiException.field("repository_version",
                "repository version " + href + " does not exist"));
    }

    private static void requireField(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiException.field(field, "This field is required.");
        }
    }

    private void clearCacheAfterCommit() {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                cache.invalidateAll();
            }
        });
    }
}
