package io.sigil.sync;

import io.sigil.content.CosignTags;
import io.sigil.storage.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides what a sync brings, in phases that each run in parallel: resolve the selected tags (HEAD, reusing stored
 * manifests), fetch the children of lists, gather what every signature source holds for every manifest, apply
 * {@code signed_only}, then download the missing blobs. Signature sources need only a digest, so each manifest's
 * are asked for on the same thread right after its HEAD or fetch: the registry and the signature stores are asked side
 * by side rather than in two passes, with no wait for the slowest tag in between. Nothing is written to the database
 * here.
 */
final class SyncPlanner {

    /** Everything known about one manifest after the signature phase. */
    record Signed(List<SignatureChecker.Checked> signatures, List<Findings.Attachment> attachments, List<String> problems) {
    }

    private final SyncContext sync;
    private final Map<String, UpstreamManifest> tagged = new LinkedHashMap<>();
    private final Map<Digest, UpstreamManifest> manifests = new ConcurrentHashMap<>();
    private final Map<Digest, Signed> signed = new ConcurrentHashMap<>();
    private final Memo<Digest, Signed> lookups = new Memo<>();
    private List<SignatureSource> sources = List.of();

    SyncPlanner(SyncContext sync) {
        this.sync = sync;
    }

    SyncPlan plan() throws IOException {
        sources = sync.sources();
        resolveTags(selectTags());
        resolveChildren();
        gatherSignatures();
        SyncPlan plan = select();
        new BlobDownloads(sync).download(plan.blobs);
        return plan;
    }

    private List<String> selectTags() throws IOException {
        TagFilter filter = new TagFilter(sync.remote().includeTags(), sync.remote().excludeTags());
        List<String> listed = filter.exactOnly() ? filter.exactTags() : sync.client().tags();
        if (!filter.exactOnly()) {
            sync.listedTags().set(listed);
        }
        sync.report().tagsListed.set(listed.size());
        // Attachment tags come with their subjects (cosign and referrers sources), whatever the filters say.
        return listed.stream().distinct().filter(t -> CosignTags.subjectOf(t).isEmpty()).filter(filter::accepts).toList();
    }

    /** HEAD of every tag, then the manifests Sigil lacks by GET (those it holds are read from its store at once). */
    private void resolveTags(List<String> tags) throws IOException {
        Map<String, Digest> heads = new ConcurrentHashMap<>();
        sync.parallel().each(tags, tag -> {
            Optional<Digest> digest = sync.fetcher().digestOf(tag);
            if (digest.isEmpty()) {
                sync.report().skipTag(tag, "the upstream has no such tag");
                return;
            }
            heads.put(tag, digest.get());
            signaturesOf(digest.get());
        }, sync.progress("sync.tags", "Resolving tags and finding their signatures", tags.size()));
        Set<Digest> digests = new LinkedHashSet<>(heads.values());
        sync.fetcher().preload(digests);
        Map<Digest, UpstreamManifest> found = new ConcurrentHashMap<>();
        Map<Digest, String> skipped = new ConcurrentHashMap<>();
        sync.parallel().each(digests, digest -> {
            try {
                found.put(digest, sync.fetcher().byDigest(digest));
            } catch (SkippedException e) {
                skipped.put(digest, e.getMessage());
            }
        }, sync.progress("sync.tagged", "Fetching the manifests of tags", digests.size()));
        for (String tag : tags) {
            Digest digest = heads.get(tag);
            if (digest != null && found.containsKey(digest)) {
                tagged.put(tag, found.get(digest));
            } else if (digest != null) {
                sync.report().skipTag(tag, skipped.get(digest));
            }
        }
        manifests.putAll(found);
    }

    /** Lists bring every child; a list with a child Sigil cannot accept is dropped with its tags. */
    private void resolveChildren() throws IOException {
        Set<Digest> broken = ConcurrentHashMap.newKeySet();
        Collection<UpstreamManifest> frontier = indexes(manifests.values());
        while (!frontier.isEmpty()) {
            Set<Digest> children = new LinkedHashSet<>();
            frontier.forEach(index -> children.addAll(index.parsed().childDigests()));
            children.removeAll(manifests.keySet());
            sync.fetcher().preload(children);
            List<UpstreamManifest> fetched = new ArrayList<>();
            sync.parallel().each(children, child -> {
                try {
                    UpstreamManifest m = sync.fetcher().byDigest(child);
                    signaturesOf(child);
                    manifests.put(child, m);
                    synchronized (fetched) {
                        fetched.add(m);
                    }
                } catch (SkippedException e) {
                    broken.add(child);
                    sync.report().skipManifest(child.toString(), e.getMessage());
                }
            }, sync.progress("sync.manifests", "Fetching the children of manifest lists", children.size()));
            frontier = indexes(fetched);
        }
        dropListsWithBrokenChildren(broken);
    }

    private void dropListsWithBrokenChildren(Set<Digest> broken) {
        tagged.entrySet().removeIf(e -> {
            Optional<Digest> bad = brokenChild(e.getValue(), broken);
            bad.ifPresent(child -> sync.report().skipTag(e.getKey(), "its list names " + child + ", which was skipped"));
            return bad.isPresent();
        });
    }

    private Optional<Digest> brokenChild(UpstreamManifest manifest, Set<Digest> broken) {
        for (Digest child : manifest.parsed().childDigests()) {
            if (broken.contains(child)) {
                return Optional.of(child);
            }
            Optional<Digest> deeper = manifests.containsKey(child) ? brokenChild(manifests.get(child), broken) : Optional.empty();
            if (deeper.isPresent()) {
                return deeper;
            }
        }
        return Optional.empty();
    }

    private static List<UpstreamManifest> indexes(Collection<UpstreamManifest> candidates) {
        return candidates.stream().filter(m -> m.parsed().isIndex()).toList();
    }

    /** The signatures of every manifest still in the sync (found earlier, at its HEAD or fetch), into the report. */
    private void gatherSignatures() throws IOException {
        Set<Digest> seen = new LinkedHashSet<>();
        tagged.values().forEach(m -> collect(m, seen));
        sync.parallel().each(seen, digest -> {
            Signed found = signaturesOf(digest);
            sync.signatures().report(digest, found);
            signed.put(digest, found);
        }, sync.progress("sync.signatures", "Fetching and checking signatures", seen.size()));
        sync.reportSkippedSignatures();
    }

    /** Asks the sources about {@code digest} once, whichever thread asks first. */
    private Signed signaturesOf(Digest digest) throws IOException {
        try {
            return lookups.get(digest, () -> sync.signatures().of(digest, sources));
        } catch (SkippedException e) {
            throw new IllegalStateException("signature sources do not skip manifests", e);
        }
    }

    private void collect(UpstreamManifest manifest, Set<Digest> seen) {
        if (seen.add(manifest.digest())) {
            manifest.parsed().childDigests().forEach(c -> collect(manifests.get(c), seen));
        }
    }

    private SyncPlan select() {
        SyncPlan plan = new SyncPlan();
        SignedOnly policy = new SignedOnly(sync.remote(), manifests, signed);
        tagged.forEach((tag, manifest) -> {
            Optional<String> unsigned = policy.whyNot(manifest);
            if (unsigned.isPresent()) {
                sync.report().skipTag(tag, unsigned.get());
                return;
            }
            include(plan, manifest);
            plan.tags.put(tag, manifest.digest());
        });
        return plan;
    }

    private void include(SyncPlan plan, UpstreamManifest manifest) {
        if (plan.manifests.containsKey(manifest.digest())) {
            return;
        }
        manifest.parsed().childDigests().forEach(c -> include(plan, manifests.get(c)));
        plan.addManifest(manifest);
        Signed found = signed.get(manifest.digest());
        boolean preserve = sync.remote().preserveSignatures();
        for (Findings.Attachment attachment : found.attachments()) {
            if (preserve || attachment.source() == SourceKind.REFERRERS) {
                plan.addManifest(attachment.manifest());
                if (attachment.tag() != null) {
                    plan.tags.put(attachment.tag(), attachment.manifest().digest());
                }
            }
        }
        if (preserve) {
            found.signatures().stream().filter(SignatureChecker.Checked::kept).forEach(plan.signatures::add);
        }
    }
}
