package io.sigil.sync;

import io.sigil.content.ContentStore;
import io.sigil.content.Manifest;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryService;
import io.sigil.repository.RepositoryVersion;
import io.sigil.repository.VersionChange;
import io.sigil.repository.VersionWriter;
import io.sigil.signing.SignatureIngest;
import io.sigil.storage.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Stores a sync plan's units and writes the repository version, all in one transaction: the sync yields one version
 * or none (none when nothing changed). With {@code mirror} the version holds exactly what was synced.
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

    @Transactional
    Optional<RepositoryVersion> write(UUID repositoryId, boolean mirror, SyncPlan plan) {
        Repository repository = repositories.get(repositoryId);
        plan.blobs.forEach(store::blob);
        Map<Digest, Manifest> manifests = storeManifests(plan);
        Set<Long> units = new HashSet<>();
        manifests.values().forEach(m -> units.add(m.id));
        plan.tags.forEach((name, digest) -> units.add(store.tag(name, manifests.get(digest)).id));
        for (SignatureChecker.Checked signature : plan.signatures) {
            units.add(signature.cosignUnit() != null ? store.signature(signature.cosignUnit()).id
                    : ingest.atomic(signature.manifest().toString(), signature.found().atomic()).id);
        }
        VersionChange change = mirror ? new VersionChange(null, units, Set.of(), true) : VersionChange.adding(units);
        Optional<RepositoryVersion> version = versions.write(repository.id, change);
        version.ifPresent(v -> repositories.applyRetention(Repository.findById(repository.id)));
        return version;
    }

    /** Children before the lists naming them (referrer fallback indexes after their referrers). */
    private Map<Digest, Manifest> storeManifests(SyncPlan plan) {
        Map<Digest, Manifest> stored = new HashMap<>();
        List<UpstreamManifest> pending = new ArrayList<>(plan.manifests.values());
        while (!pending.isEmpty()) {
            List<UpstreamManifest> ready = pending.stream().filter(m -> m.parsed().childDigests().stream()
                    .allMatch(c -> stored.containsKey(c) || !plan.manifests.containsKey(c))).toList();
            if (ready.isEmpty()) {
                throw new IllegalStateException("manifests that list each other: " + pending.size() + " left");
            }
            ready.forEach(m -> stored.put(m.digest(), store.manifest(m.bytes(), m.parsed())));
            pending.removeAll(ready);
        }
        return stored;
    }
}
