package io.sigil.sync;

import io.sigil.storage.Digest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one sync will put in the new version: tags, the manifests to store, the kept signatures, the blobs. */
final class SyncPlan {

    final Map<String, Digest> tags = new LinkedHashMap<>();
    final Map<Digest, UpstreamManifest> manifests = new LinkedHashMap<>();
    final List<SignatureChecker.Checked> signatures = new ArrayList<>();
    final Map<Digest, Long> blobs = new LinkedHashMap<>();

    /** Adds a manifest (after its children, which must come first) and the blobs it needs; foreign layers need none. */
    void addManifest(UpstreamManifest manifest) {
        manifests.putIfAbsent(manifest.digest(), manifest);
        var parsed = manifest.parsed();
        if (parsed.config() != null) {
            blobs.putIfAbsent(parsed.config().digest(), parsed.config().size());
        }
        parsed.layers().stream().filter(l -> l.urls().isEmpty()).forEach(l -> blobs.putIfAbsent(l.digest(), l.size()));
    }
}
