package io.sigil.sync;

import io.sigil.content.ManifestInvalidException;
import io.sigil.content.ManifestParser;
import io.sigil.content.ManifestTooLargeException;
import io.sigil.content.ParsedManifest;
import io.sigil.storage.Digest;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Resolves upstream manifests once per sync: a tag by HEAD, a digest from Sigil's own store when it is already
 * there, else by GET (verified against the digest). A manifest Sigil cannot accept is skipped, not fatal.
 */
final class ManifestFetcher {

    private final RegistryClient client;
    private final StoredManifests stored;
    private final Memo<Digest, UpstreamManifest> byDigest = new Memo<>();
    final AtomicInteger fetched = new AtomicInteger();
    final AtomicInteger reused = new AtomicInteger();

    ManifestFetcher(RegistryClient client, StoredManifests stored) {
        this.client = client;
        this.stored = stored;
    }

    /** The manifest a tag names now; empty when the upstream has no such tag. */
    Optional<UpstreamManifest> byTag(String tag) throws IOException, SkippedException {
        Optional<RegistryClient.Head> head = client.head(tag);
        return head.isEmpty() ? Optional.empty() : Optional.of(byDigest(head.get().digest()));
    }

    /** The digest a tag names now (HEAD); empty when the upstream has no such tag. */
    Optional<Digest> digestOf(String tag) throws IOException {
        return client.head(tag).map(RegistryClient.Head::digest);
    }

    UpstreamManifest byDigest(Digest digest) throws IOException, SkippedException {
        return byDigest.get(digest, () -> load(digest));
    }

    /** Looks up the stored ones among {@code digests} at once, so that resolving them needs neither a query nor a request. */
    void preload(Collection<Digest> digests) {
        List<Digest> unknown = digests.stream().filter(d -> !byDigest.has(d)).distinct().toList();
        for (var entry : stored.find(unknown).entrySet()) {
            try {
                byDigest.get(entry.getKey(), () -> fromStore(entry.getKey(), entry.getValue()));
            } catch (IOException | SkippedException e) {
                // remembered: whoever asks for this digest gets the same exception
            }
        }
    }

    private UpstreamManifest load(Digest digest) throws IOException, SkippedException {
        StoredManifests.Held held = stored.find(List.of(digest)).get(digest);
        if (held != null) {
            return fromStore(digest, held);
        }
        RegistryClient.Fetched fetchedManifest = client.manifest(digest.toString())
                .orElseThrow(() -> new SkippedException("manifest " + digest + " vanished from the upstream"));
        fetched.incrementAndGet();
        return new UpstreamManifest(fetchedManifest.bytes(), parse(digest, fetchedManifest.bytes(), fetchedManifest.mediaType()), false);
    }

    private UpstreamManifest fromStore(Digest digest, StoredManifests.Held held) throws SkippedException {
        reused.incrementAndGet();
        return new UpstreamManifest(held.bytes(), parse(digest, held.bytes(), held.mediaType()), true);
    }

    private static ParsedManifest parse(Digest digest, byte[] bytes, String mediaType) throws SkippedException {
        try {
            return ManifestParser.parse(bytes, mediaType);
        } catch (ManifestInvalidException | ManifestTooLargeException e) {
            throw new SkippedException("manifest " + digest + " is not acceptable: " + e.getMessage());
        }
    }
}
