package io.sigil.sync;

import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import io.sigil.content.BulkContent;
import io.sigil.repository.Repository;
import io.sigil.tasks.TaskContext;
import io.sigil.repository.RepositoryService;
import io.sigil.repository.RepositoryVersion;
import io.sigil.repository.VersionChange;
import io.sigil.repository.VersionWriter;
import io.sigil.signature.SignatureIngest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Stores a sync plan's units and writes the repository version, all in one transaction: the sync yields one version
 * or none (none when nothing changed). With {@code mirror} the version holds exactly what was synced. Units are found
 * or created in bulk, a few statements per type whatever the number of tags.
 */
@ApplicationScoped
class SyncWriter {

    @Inject
    BulkContent bulk;
    @Inject
    SignatureIngest ingest;
    @Inject
    VersionWriter versions;
    @Inject
    RepositoryService repositories;

    /** A large first sync writes thousands of units: far longer than the default 60 s transaction timeout. */
    @Transactional
    @TransactionConfiguration(timeout = 3600)
    Optional<RepositoryVersion> write(UUID repositoryId, boolean mirror, SyncPlan plan, TaskContext task) {
        Repository repository = repositories.get(repositoryId);
        Set<Long> units = new HashSet<>();
        bulk.blobs(plan.blobs);
        units.addAll(bulk.manifests(plan.manifests.values().stream()
                .map(m -> new BulkContent.NewManifest(m.bytes(), m.parsed())).toList()).ids().values());
        units.addAll(bulk.tags(plan.tags.entrySet().stream()
                .map(e -> new BulkContent.NewTag(e.getKey(), e.getValue())).toList()).ids().values());
        units.addAll(ingest.storeAll(plan.signatures.stream().map(SignatureChecker.Checked::unit).toList()).values());
        VersionChange change = mirror ? new VersionChange(null, units, Set.of(), true) : VersionChange.adding(units);
        return versions.write(repository.id, change, task);
    }
}
