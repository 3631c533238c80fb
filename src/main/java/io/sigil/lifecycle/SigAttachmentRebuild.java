package io.sigil.lifecycle;

import io.sigil.common.Sql;
import io.sigil.content.CosignTags;
import io.sigil.repository.Membership;
import io.sigil.signature.CosignAttachment;
import io.sigil.signature.CosignAttachmentStore;
import io.sigil.signature.CosignSignatures;
import io.sigil.signature.SignatureFormatException;
import io.sigil.storage.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Takes invalidated cosign signatures out of the {@code sha256-<hex>.sig} manifests of a repository's latest version:
 * a {@code .sig} manifest left with no layer goes whole; one with layers by other keys is rebuilt without the removed
 * layers (a new manifest and config, as the sign task writes them) and its tag moved to it, so a cosign client pulling
 * the tag no longer receives the revoked signature. The .sig manifests are found by tag name, not by the signature
 * units' carrier, which names the .sig manifest a layer first arrived in (later signings replace it).
 */
@ApplicationScoped
class SigAttachmentRebuild {

    @Inject
    CosignAttachmentStore attachments;
    @Inject
    EntityManager em;

    /**
     * What changes: tags to add (pointing at rebuilt manifests), .sig manifests to remove (emptied or replaced; their
     * tags go with them), and the .sig manifests looked at (their carriers need no other handling).
     */
    record Change(Set<Long> addedTags, Set<Long> removedManifests, Set<Long> examined, int emptied, int rebuilt) {
    }

    private record SigTag(String name, long manifestId, byte[] manifest) {
    }

    /** Runs in the invalidation's transaction, with the repository locked. */
    Change apply(long repositoryId, List<InvalidationScope.Candidate> matched) {
        Map<String, Set<CosignAttachment.LayerId>> removedBySubject = removedLayers(matched);
        Set<Long> added = new HashSet<>(), removed = new HashSet<>(), examined = new HashSet<>();
        int emptied = 0, rebuilt = 0;
        for (SigTag tag : sigTags(repositoryId, removedBySubject.keySet())) {
            examined.add(tag.manifestId());
            String subject = CosignTags.subjectOf(tag.name()).orElseThrow().subject().toString();
            Optional<CosignAttachment.Built> built = CosignAttachment.without(tag.manifest(), removedBySubject.get(subject));
            if (built.isEmpty()) {
                continue;
            }
            removed.add(tag.manifestId());
            if (built.get().layerCount() == 0) {
                emptied++;
            } else {
                added.add(store(subject, built.get()));
                rebuilt++;
            }
        }
        return new Change(added, removed, examined, emptied, rebuilt);
    }

    private long store(String subject, CosignAttachment.Built built) {
        try {
            attachments.writeBlobs(built);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the rebuilt .sig manifest's config", e);
        }
        return attachments.tag(subject, built).id;
    }

    /** The layers of the matched cosign signatures, by the digest they sign. */
    private static Map<String, Set<CosignAttachment.LayerId>> removedLayers(List<InvalidationScope.Candidate> matched) {
        Map<String, Set<CosignAttachment.LayerId>> layers = new HashMap<>();
        for (InvalidationScope.Candidate c : matched) {
            if (c.data() == null || !c.signedDigest().startsWith(Digest.SHA256 + ":")) {
                continue; // not cosign; or not a digest a .sig tag can name
            }
            try {
                CosignAttachment.LayerId id = CosignAttachment.LayerId.of(CosignSignatures.fromStorageForm(c.data()));
                layers.computeIfAbsent(c.signedDigest(), k -> new HashSet<>()).add(id);
            } catch (SignatureFormatException e) {
                // a unit that is no layer cannot be in a .sig manifest
            }
        }
        return layers;
    }

    private List<SigTag> sigTags(long repositoryId, Set<String> subjects) {
        if (subjects.isEmpty()) {
            return List.of();
        }
        List<String> names = subjects.stream().map(d -> CosignTags.signatureTag(Digest.parse(d))).toList();
        return Sql.with(em, sql -> sql.query("SELECT t.name, m.id, m.data FROM tag t JOIN manifest m ON m.id = t.manifest_id "
                        + "WHERE t.name = ANY(?) AND " + Membership.latest(sql, repositoryId).member("t.id"),
                rs -> new SigTag(rs.getString(1), rs.getLong(2), rs.getBytes(3)), sql.texts(names)));
    }
}
