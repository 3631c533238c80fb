package io.sigil.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.content.MediaTypes;
import io.sigil.storage.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the {@code sha256-<hex>.sig} manifest of an image as containers/image writes it: an OCI image manifest
 * with one simple-signing layer per signature (the existing layers first, then the new ones) and an OCI image config
 * whose rootfs.diff_ids list the layers. Descriptors list mediaType, digest, size as image-spec's Go structs marshal
 * them (cosign's go-containerregistry puts size first), so that skopeo, which re-serializes a .sig manifest when it
 * copies one, writes these very bytes at the destination. Signing adds layers ({@link #build}); invalidation takes
 * some away ({@link #without}).
 */
public final class CosignAttachment {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The blobs to store (layer payloads and the config), the manifest bytes, and how many layers it has. */
    public record Built(Map<Digest, byte[]> blobs, byte[] manifest, int layerCount) {
    }

    /**
     * What identifies a signature layer: a layer of a {@code .sig} manifest and a signature unit are the same
     * signature when media type, payload digest and annotations agree (two keys often sign the same payload).
     */
    public record LayerId(String mediaType, String digest, Map<String, String> annotations) {
        public LayerId {
            annotations = Map.copyOf(annotations);
        }

        public static LayerId of(UntrustedCosignSignature layer) {
            return new LayerId(layer.mediaType(), Digest.sha256Of(layer.payload()).toString(), layer.annotations());
        }

        static LayerId of(Map<String, Object> descriptor) {
            Map<String, String> annotations = new TreeMap<>();
            if (descriptor.get("annotations") instanceof Map<?, ?> found) {
                found.forEach((k, v) -> annotations.put(String.valueOf(k), String.valueOf(v)));
            }
            return new LayerId(String.valueOf(descriptor.get("mediaType")), String.valueOf(descriptor.get("digest")), annotations);
        }
    }

    private CosignAttachment() {
    }

    /** @param existingManifest the current .sig manifest of the image, or null */
    public static Built build(byte[] existingManifest, List<UntrustedCosignSignature> newLayers) {
        List<Map<String, Object>> layers = existingManifest == null ? new ArrayList<>() : layersOf(existingManifest);
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        for (UntrustedCosignSignature layer : newLayers) {
            byte[] payload = layer.payload();
            Digest digest = Digest.sha256Of(payload);
            blobs.put(digest, payload);
            Map<String, Object> descriptor = new LinkedHashMap<>();
            descriptor.put("mediaType", layer.mediaType());
            descriptor.put("digest", digest.toString());
            descriptor.put("size", payload.length);
            descriptor.put("annotations", new TreeMap<>(layer.annotations()));
            layers.add(descriptor);
        }
        return assemble(layers, blobs);
    }

    /**
     * The {@code .sig} manifest {@code existingManifest} without the layers in {@code removed}, the others kept as they
     * were (their blobs are already stored: only the config is new); empty when none of its layers is removed. A
     * result with no layer means the whole attachment goes.
     */
    public static Optional<Built> without(byte[] existingManifest, Set<LayerId> removed) {
        List<Map<String, Object>> layers = layersOf(existingManifest);
        List<Map<String, Object>> kept = layers.stream().filter(l -> !removed.contains(LayerId.of(l))).toList();
        if (kept.size() == layers.size()) {
            return Optional.empty();
        }
        return Optional.of(assemble(new ArrayList<>(kept), new LinkedHashMap<>()));
    }

    private static Built assemble(List<Map<String, Object>> layers, Map<Digest, byte[]> blobs) {
        byte[] config = config(layers);
        Digest configDigest = Digest.sha256Of(config);
        blobs.put(configDigest, config);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.put("config", ordered("mediaType", MediaTypes.OCI_CONFIG, "digest", configDigest.toString(), "size", config.length));
        manifest.put("layers", layers);
        return new Built(blobs, write(manifest), layers.size());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> layersOf(byte[] manifest) {
        try {
            JsonNode layers = JSON.readTree(manifest).path("layers");
            List<Map<String, Object>> copy = new ArrayList<>();
            layers.forEach(layer -> copy.add(specOrder(JSON.convertValue(layer, LinkedHashMap.class))));
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("stored .sig manifest is not JSON", e);
        }
    }

    /** An existing layer (cosign writes size before digest) in the order new ones get; other members follow as they were. */
    private static Map<String, Object> specOrder(Map<String, Object> layer) {
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String key : List.of("mediaType", "digest", "size")) {
            if (layer.containsKey(key)) {
                ordered.put(key, layer.get(key));
            }
        }
        ordered.putAll(layer);
        return ordered;
    }

    private static byte[] config(List<Map<String, Object>> layers) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", "");
        config.put("os", "");
        config.put("config", Map.of());
        config.put("rootfs", ordered("type", "layers", "diff_ids", layers.stream().map(l -> l.get("digest")).toList()));
        return write(config);
    }

    /** A JSON object with its members in the given order: the bytes, hence the digests, must not vary. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static byte[] write(Object json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
