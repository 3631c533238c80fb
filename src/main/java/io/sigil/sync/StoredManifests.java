package io.sigil.sync;

import io.sigil.content.ContentStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Optional;

/** Lets a sync reuse manifests Sigil already holds, so a re-sync never downloads them again. */
@ApplicationScoped
class StoredManifests {

    record Held(byte[] bytes, String mediaType) {
    }

    @Inject
    ContentStore store;

    @Transactional
    Optional<Held> find(String digest) {
        return store.findManifest(digest).map(m -> new Held(m.data, m.mediaType));
    }
}
