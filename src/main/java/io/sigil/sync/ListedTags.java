package io.sigil.sync;

import java.util.Collection;
import java.util.Set;

/**
 * The upstream's tag list, once the sync has read it: an attachment tag ({@code sha256-<hex>.sig}, the referrers
 * fallback tag) absent from it needs no request. Unknown when exact tag filters spared the listing; then every
 * attachment tag is asked for.
 */
final class ListedTags {

    private volatile Set<String> listed;

    void set(Collection<String> tags) {
        listed = Set.copyOf(tags);
    }

    /** False only when the list was read and does not hold the tag. */
    boolean mayExist(String tag) {
        Set<String> known = listed;
        return known == null || known.contains(tag);
    }
}
