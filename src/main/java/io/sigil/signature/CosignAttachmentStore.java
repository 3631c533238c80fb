package io.sigil.signature;

import io.sigil.content.ContentStore;
import io.sigil.content.CosignTags;
import io.sigil.content.Manifest;
import io.sigil.content.ManifestParser;
import io.sigil.content.Tag;
import io.sigil.storage.BlobStore;
import io.sigil.storage.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;

/** Stores a built cosign {@code .sig} manifest: the one path signing and invalidation share. */
@ApplicationScoped
public class CosignAttachmentStore {

    @Inject
    ContentStore store;
    @Inject
    BlobStore blobs;
    @Inject
    EntityManager em;

    /** Writes the blob files (idempotent); may run outside the transaction that then stores the units. */
    public void writeBlobs(CosignAttachment.Built built) throws IOException {
        for (byte[] blob : built.blobs().values()) {
            blobs.put(blob);
        }
    }

    /** The manifest's units, tagged as the {@code .sig} of {@code subject}; its blob files must be written. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Tag tag(String subject, CosignAttachment.Built built) {
        built.blobs().forEach((digest, bytes) -> store.storedBlob(digest, bytes.length));
        Manifest sig = store.manifest(built.manifest(), ManifestParser.parse(built.manifest(), null));
        // A manifest created in this transaction lacks its database-defaulted columns; tagging it updates the entity.
        em.refresh(sig);
        return store.tag(CosignTags.signatureTag(Digest.parse(subject)), sig);
    }
}
