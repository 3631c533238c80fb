package io.sigil.signing;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a sign call signs in one version: every selected tagged manifest as {@code <reference>:<tag>}, and each
 * child of a selected list or index under the same reference, once per (manifest, reference).
 */
final class SignPlan {

    record Target(long manifestId, String digest, String dockerReference) {
    }

    /** The selected tags, and what was asked for but is not in the version. */
    record Selection(List<VersionQueries.TaggedManifest> tags, List<String> missingTags, List<Long> untaggedManifests) {
        boolean isEmpty() {
            return tags.isEmpty();
        }
    }

    private SignPlan() {
    }

    /**
     * @param tagNames    names to sign, or null
     * @param manifestIds manifests to sign (under each of their tags), or null; both null selects every tag
     */
    static Selection select(VersionQueries version, Collection<String> tagNames, Collection<Long> manifestIds) throws SQLException {
        List<VersionQueries.TaggedManifest> tags;
        List<String> missing = new ArrayList<>();
        List<Long> untagged = new ArrayList<>();
        if (manifestIds != null) {
            tags = version.tagsOf(manifestIds);
            Set<Long> tagged = new HashSet<>();
            tags.forEach(t -> tagged.add(t.manifestId()));
            manifestIds.stream().filter(id -> !tagged.contains(id)).forEach(untagged::add);
        } else {
            tags = version.tags(tagNames, Integer.MAX_VALUE, 0);
            if (tagNames != null) {
                Set<String> found = new HashSet<>();
                tags.forEach(t -> found.add(t.tag()));
                tagNames.stream().filter(n -> !found.contains(n)).distinct().forEach(missing::add);
            }
        }
        return new Selection(tags.stream().filter(t -> !t.isAttachment()).toList(), missing, untagged);
    }

    static List<Target> targets(VersionQueries version, Selection selection, String reference) throws SQLException {
        Map<String, Target> targets = new LinkedHashMap<>();
        List<Long> lists = selection.tags().stream().filter(t -> "index".equals(t.kind()))
                .map(VersionQueries.TaggedManifest::manifestId).distinct().toList();
        Map<Long, List<VersionQueries.Child>> children = new LinkedHashMap<>();
        for (VersionQueries.Child child : lists.isEmpty() ? List.<VersionQueries.Child>of() : version.childrenOf(lists)) {
            children.computeIfAbsent(child.listId(), k -> new ArrayList<>()).add(child);
        }
        for (VersionQueries.TaggedManifest tag : selection.tags()) {
            String dockerReference = reference + ":" + tag.tag();
            add(targets, new Target(tag.manifestId(), tag.digest(), dockerReference));
            for (VersionQueries.Child child : children.getOrDefault(tag.manifestId(), List.of())) {
                add(targets, new Target(child.manifestId(), child.digest(), dockerReference));
            }
        }
        return new ArrayList<>(targets.values());
    }

    private static void add(Map<String, Target> targets, Target target) {
        targets.putIfAbsent(target.manifestId() + " " + target.dockerReference(), target);
    }
}
