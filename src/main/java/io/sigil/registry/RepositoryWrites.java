package io.sigil.registry;

import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryService;
import io.sigil.repository.RepositoryVersion;
import io.sigil.repository.VersionChange;
import io.sigil.repository.VersionWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Optional;

/** A registry write of one repository version: through the version writer, then the repository's retention. */
@ApplicationScoped
class RepositoryWrites {

    @Inject
    VersionWriter writer;
    @Inject
    RepositoryService repositories;

    @Transactional(Transactional.TxType.MANDATORY)
    Optional<RepositoryVersion> write(long repositoryId, VersionChange change) {
        Optional<RepositoryVersion> version = writer.write(repositoryId, change);
        version.ifPresent(v -> repositories.applyRetention(Repository.findById(repositoryId)));
        return version;
    }
}
