package io.sigil.registry;

import io.sigil.signing.SignaturePolicy;
import java.util.UUID;

/**
 * What a distribution serves, resolved once per request: the repository and, when the distribution is pinned, the
 * version number (null means the latest version, read live so a push is visible at once), and the signature policy
 * its manifest pulls must pass (null when it requires no signatures). {@code distributionPulpId} names the distribution
 * roles are held on.
 */
public record ServedRepository(long distributionId, String basePath, Long repositoryId, Integer pinnedVersion,
                               boolean isPrivate, SignaturePolicy policy, UUID distributionPulpId) {

    /** Whether there is anything to serve (a distribution may name no repository). */
    public boolean servesContent() {
        return repositoryId != null;
    }

    /** Pushes need a repository that follows its latest version; a pinned version is read-only. */
    public boolean acceptsPushes() {
        return repositoryId != null && pinnedVersion == null;
    }

    /** Uploads and pending blobs of this repository, and those pushed to its base path before it existed. */
    public PushTarget pushTarget() {
        return new PushTarget(basePath, repositoryId);
    }
}
