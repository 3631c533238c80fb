package io.sigil.sync;

import io.sigil.storage.Digest;
import java.util.Map;
import java.util.Optional;

/**
 * {@code signed_only}: a manifest needs at least one good signature (verified by a {@code verify_with} key when the
 * remote names keys; well-formed and for this digest otherwise), and a list needs one itself and for every child.
 */
final class SignedOnly {

    private final RemoteSettings remote;
    private final Map<Digest, UpstreamManifest> manifests;
    private final Map<Digest, SyncPlanner.Signed> signed;

    SignedOnly(RemoteSettings remote, Map<Digest, UpstreamManifest> manifests, Map<Digest, SyncPlanner.Signed> signed) {
        this.remote = remote;
        this.manifests = manifests;
        this.signed = signed;
    }

    /** Why this manifest may not be synced, or empty when it may. */
    Optional<String> whyNot(UpstreamManifest manifest) {
        if (!remote.signedOnly()) {
            return Optional.empty();
        }
        Optional<String> own = unsigned(manifest.digest());
        if (own.isPresent()) {
            return own;
        }
        for (Digest child : manifest.parsed().childDigests()) {
            Optional<String> childReason = whyNot(manifests.get(child));
            if (childReason.isPresent()) {
                return Optional.of("signed_only: its child " + child + " is not signed (" + childReason.get() + ")");
            }
        }
        return Optional.empty();
    }

    private Optional<String> unsigned(Digest digest) {
        var checked = signed.get(digest).signatures();
        boolean good = checked.stream().anyMatch(c -> c.kept() && (remote.verifyKeys().isEmpty() || c.verdict().isValid()));
        if (good) {
            return Optional.empty();
        }
        if (checked.isEmpty()) {
            return Optional.of("signed_only: " + digest + " has no signature");
        }
        return Optional.of("signed_only: " + digest + " has no good signature (" + checked.size() + " found, "
                + (remote.verifyKeys().isEmpty() ? "all bad" : "none verified by a verify_with key") + ")");
    }
}
