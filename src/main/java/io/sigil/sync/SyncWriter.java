package io.sigil.sync;

import io.sigil.common.Sql;
import io.sigil.content.ContentStore;
import io.sigil.content.Manifest;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryService;
import io.sigil.repository.RepositoryVersion;
import io.sigil.repository.VersionChange;
import io.sigil.repository.VersionWriter;
import io.sigil.signing.CosignSignatures;
import io.sigil.signing.SignatureIngest;
import io.sigil.storage.Digest;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Stores a sync plan's units and writes the repository version, all in one transaction: the sync yields one version
 * or none (none when nothing changed). With {@code mirror} the version holds exactly what was synced. Units that
 * already exist are found in bulk; only new ones are created one by one.
 */
@ApplicationScoped
class SyncWriter {

    @Inject
    ContentStore store;
    @Inject
    SignatureIngest ingest;
    @Inject
    VersionWriter versions;
    @Inject
    RepositoryService repositories;
    @Inject
    EntityManager em;

    /** Units created between two flushes: Hibernate dirty-checks every managed entity at each query, so keep few. */
    private static final int CLEAR_EVERY = 100;

    /** A large first sync writes thousands of units: far longer than the default 60 s transaction timeout. */
    @Transactional
    @TransactionConfiguration(timeout = 3600)
    Optional<RepositoryVersion> write(UUID repositoryId, boolean mirror, SyncPlan plan) {
        Repository repository = repositories.get(repositoryId);
        Set<Long> reused = new HashSet<>();
        Set<Long> units = new HashSet<>();
        Map<Digest, Long> blobs = Sql.with(em, sql -> new ExistingUnits(sql).blobs(plan.blobs.keySet()));
        reused.addAll(blobs.values());
        plan.blobs.forEach((digest, size) -> blobs.computeIfAbsent(digest, d -> created(store.storedBlob(d, size).id)));
        Map<Digest, Long> manifests = storeManifests(plan, reused);
        units.addAll(manifests.values());
        units.addAll(tags(plan, manifests, reused));
        units.addAll(signatures(plan, reused));
        Sql.with(em, sql -> {
            new ExistingUnits(sql).touch(reused);
            return null;
        });
        VersionChange change = mirror ? new VersionChange(null, units, Set.of(), true) : VersionChange.adding(units);
        Optional<RepositoryVersion> version = versions.write(repository.id, change);
        version.ifPresent(v -> repositories.applyRetention(Repository.findById(repository.id)));
        return version;
    }

    /** Created units of the current transaction's write, per thread: concurrent syncs share this bean. */
    private final ThreadLocal<int[]> sinceClear = ThreadLocal.withInitial(() -> new int[1]);

    private Long created(Long id) {
        int[] count = sinceClear.get();
        if (++count[0] >= CLEAR_EVERY) {
            em.flush();
            em.clear();
            count[0] = 0;
        }
        return id;
    }

    /** Children before the lists naming them (referrer fallback indexes after their referrers). */
    private Map<Digest, Long> storeManifests(SyncPlan plan, Set<Long> reused) {
        Map<Digest, Long> stored = Sql.with(em, sql -> new ExistingUnits(sql).manifests(plan.manifests.keySet()));
        reused.addAll(stored.values());
        List<UpstreamManifest> pending = new ArrayList<>(plan.manifests.values());
        pending.removeIf(m -> stored.containsKey(m.digest()));
        while (!pending.isEmpty()) {
            List<UpstreamManifest> ready = pending.stream().filter(m -> m.parsed().childDigests().stream()
                    .allMatch(c -> stored.containsKey(c) || !plan.manifests.containsKey(c))).toList();
            if (ready.isEmpty()) {
                throw new IllegalStateException("manifests that list each other: " + pending.size() + " left");
            }
            ready.forEach(m -> stored.put(m.digest(), created(store.manifest(m.bytes(), m.parsed()).id)));
            pending.removeAll(ready);
        }
        return stored;
    }

    private Set<Long> tags(SyncPlan plan, Map<Digest, Long> manifests, Set<Long> reused) {
        Map<String, Long> existing = Sql.with(em, sql -> new ExistingUnits(sql).tags(plan.tags.keySet()));
        Set<Long> ids = new HashSet<>();
        plan.tags.forEach((name, digest) -> {
            Long id = existing.get(name + "@" + digest);
            if (id != null) {
                reused.add(id);
            }
            ids.add(id != null ? id : created(store.tag(name, em.find(Manifest.class, manifests.get(digest))).id));
        });
        return ids;
    }

    private Set<Long> signatures(SyncPlan plan, Set<Long> reused) {
        Set<Digest> signed = new HashSet<>();
        plan.signatures.forEach(s -> signed.add(s.manifest()));
        Map<String, Long> existing = Sql.with(em, sql -> new ExistingUnits(sql).signatures(signed));
        Set<Long> ids = new HashSet<>();
        for (SignatureChecker.Checked signature : plan.signatures) {
            FoundSignature found = signature.found();
            byte[] data = found.atomic() != null ? found.atomic() : CosignSignatures.toStorageForm(found.cosign());
            Long id = existing.get(signature.manifest() + "@" + Digest.sha256Of(data));
            if (id != null) {
                reused.add(id);
            }
            String manifest = signature.manifest().toString();
            ids.add(id != null ? id : created(found.atomic() != null ? ingest.atomic(manifest, found.atomic()).id
                    : ingest.cosign(manifest, found.cosign(), null, found.carrier() == null ? null : found.carrier().toString()).id));
        }
        return ids;
    }
}
