package io.sigil.content;

import io.sigil.storage.Digest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI content descriptor as it appears in a manifest. {@code artifactType} and {@code platform} are null when
 * absent. A layer with {@code urls} is foreign/non-distributable: clients fetch it elsewhere, so a registry may not
 * hold its blob.
 */
public record Descriptor(String mediaType, Digest digest, long size, String artifactType,
        Map<String, String> annotations, List<String> urls, Platform platform) {

    public Descriptor {
        // Keep the author's order: it is what referrers responses and exports will show.
        annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
        urls = List.copyOf(urls);
    }
}
