package io.sigil.registry;

import io.sigil.repository.RepositoryVersion;
import io.sigil.repository.VersionChange;
import io.sigil.repository.VersionWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Optional;

/** A registry write of one repository version, through the version writer (a push is no task: nothing to fence). */
@ApplicationScoped
class RepositoryWrites {

    @Inject
    VersionWriter writer;

    @Transactional(Transactional.TxType.MANDATORY)
    Optional<RepositoryVersion> write(long repositoryId, VersionChange change) {
        return writer.write(repositoryId, change, null);
    }
}
