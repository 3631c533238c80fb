package io.sigil.sync;

import io.sigil.common.Sql;
import io.sigil.storage.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Lets a sync reuse manifests Sigil already holds, so a re-sync never downloads them again. */
@ApplicationScoped
class StoredManifests {

    record Held(byte[] bytes, String mediaType) {
    }

    /** Digests per query: bounds the size of one answer. */
    private static final int CHUNK = 1000;

    @Inject
    EntityManager em;

    /** The stored ones among {@code digests}, with one query per thousand. */
    @Transactional
    Map<Digest, Held> find(Collection<Digest> digests) {
        List<String> all = digests.stream().map(Digest::toString).distinct().toList();
        Map<Digest, Held> found = new HashMap<>();
        for (int i = 0; i < all.size(); i += CHUNK) {
            List<String> chunk = new ArrayList<>(all.subList(i, Math.min(all.size(), i + CHUNK)));
            Sql.with(em, sql -> sql.query("SELECT digest, data, media_type FROM manifest WHERE digest = ANY(?)",
                    rs -> found.put(Digest.parse(rs.getString(1)), new Held(rs.getBytes(2), rs.getString(3))), sql.texts(chunk)));
        }
        return found;
    }
}
