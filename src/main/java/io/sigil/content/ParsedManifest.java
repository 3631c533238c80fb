package io.sigil.content;

import io.sigil.storage.Digest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A validated manifest. {@code digest} and {@code size} describe the exact bytes received. For an index,
 * {@code config} is null and {@code layers} empty; for an image manifest, {@code manifests} is empty.
 * {@code subject} and {@code artifactType} are null when absent (always for Docker media types, which define neither).
 */
public record ParsedManifest(Digest digest, long size, String mediaType, int schemaVersion, ManifestKind kind,
        Descriptor config, List<Descriptor> layers, List<Descriptor> manifests, Descriptor subject,
        String artifactType, Map<String, String> annotations) {

    public ParsedManifest {
        layers = List.copyOf(layers);
        manifests = List.copyOf(manifests);
        annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }

    public boolean isIndex() {
        return kind == ManifestKind.INDEX;
    }

    /** Config and layer digests in manifest order, each once: the blobs this manifest references. */
    public Set<Digest> blobDigests() {
        Stream<Descriptor> all = config == null ? layers.stream() : Stream.concat(Stream.of(config), layers.stream());
        return distinctDigests(all);
    }

    /** The manifests an index references, each once. */
    public Set<Digest> childDigests() {
        return distinctDigests(manifests.stream());
    }

    /**
     * The entry a referrers index lists for this manifest: artifactType is the manifest's, else its config media
     * type (absent for an index without one), and the manifest's annotations are copied.
     */
    public Descriptor referrerDescriptor() {
        String type = artifactType != null ? artifactType : config == null ? null : config.mediaType();
        return new Descriptor(mediaType, digest, size, type, annotations, List.of(), null);
    }

    private static Set<Digest> distinctDigests(Stream<Descriptor> descriptors) {
        Set<Digest> digests = new LinkedHashSet<>();
        descriptors.forEach(d -> digests.add(d.digest()));
        return Collections.unmodifiableSet(digests);
    }
}
