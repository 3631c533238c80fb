package io.sigil.repository;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** Per content type: how many units a version added, removed, and holds. */
public record ContentSummary(Map<String, Long> added, Map<String, Long> removed, Map<String, Long> present) {

    public static final ContentSummary EMPTY = new ContentSummary(Map.of(), Map.of(), Map.of());

    public ContentSummary {
        added = added == null ? Map.of() : added;
        removed = removed == null ? Map.of() : removed;
        present = present == null ? Map.of() : present;
    }

    /** The summary of the version that follows {@code previous} by this delta. */
    public static ContentSummary next(ContentSummary previous, Map<String, Long> added, Map<String, Long> removed) {
        Map<String, Long> present = new HashMap<>(previous.present());
        added.forEach((type, n) -> present.merge(type, n, Long::sum));
        removed.forEach((type, n) -> present.merge(type, -n, Long::sum));
        present.values().removeIf(n -> n == 0);
        return new ContentSummary(new TreeMap<>(added), new TreeMap<>(removed), new TreeMap<>(present));
    }
}
