package io.sigil.sync;

import java.util.ArrayList;
import java.util.List;

/**
 * What signature sources found for one manifest: signatures, manifests attached to it (cosign tags, referrers;
 * {@code tag} is null for untagged referrers), and problems that leave this manifest's signatures incomplete.
 */
final class Findings {

    record Attachment(SourceKind source, UpstreamManifest manifest, String tag) {
    }

    final List<FoundSignature> signatures = new ArrayList<>();
    final List<Attachment> attachments = new ArrayList<>();
    final List<String> problems = new ArrayList<>();

    void addAll(Findings other) {
        signatures.addAll(other.signatures);
        attachments.addAll(other.attachments);
        problems.addAll(other.problems);
    }
}
