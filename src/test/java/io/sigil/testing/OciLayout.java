package io.sigil.testing;

import io.sigil.storage.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Writes OCI image layouts (oci-layout, index.json, blobs/sha256/...) of small random images, so tests can copy real
 * images with skopeo without any network. Layers are real gzip streams, so clients keep them as they are.
 */
public final class OciLayout {

    public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String INDEX = "application/vnd.oci.image.index.v1+json";

    private final Path dir;
    private final Random random;
    private final List<String> refs = new ArrayList<>();
    /** Layer digest → digest of its uncompressed bytes (the config's diff_ids). */
    private final Map<String, String> diffIds = new HashMap<>();
    private final Map<String, String> architectures = new HashMap<>();

    /** A blob as an OCI descriptor would describe it. */
    public record Blob(String mediaType, String digest, long size, byte[] bytes) {
        String descriptor() {
            return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
        }
    }

    public OciLayout(Path dir, long seed) {
        this.dir = dir;
        this.random = new Random(seed);
        try {
            Files.createDirectories(dir.resolve("blobs/sha256"));
            Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writeIndex();
    }

    public Path dir() {
        return dir;
    }

    /** A random gzip layer of about {@code size} bytes, stored in the layout. */
    public Blob layer(int size) {
        byte[] raw = new byte[size];
        random.nextBytes(raw);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Blob layer = blob("application/vnd.oci.image.layer.v1.tar+gzip", gz.toByteArray());
        diffIds.put(layer.digest(), Digest.sha256Of(raw).toString());
        return layer;
    }

    /** An image manifest (stored, not yet referenced by index.json) over the given layers, for one platform. */
    public Blob image(String architecture, Blob... layers) {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < layers.length; i++) {
            ids.append(i == 0 ? "" : ",").append('"').append(diffIds.get(layers[i].digest())).append('"');
        }
        String config = "{\"architecture\":\"" + architecture + "\",\"os\":\"linux\",\"config\":{},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + ids + "]}}";
        Blob configBlob = blob("application/vnd.oci.image.config.v1+json", config.getBytes(StandardCharsets.UTF_8));
        StringBuilder layerList = new StringBuilder();
        for (int i = 0; i < layers.length; i++) {
            layerList.append(i == 0 ? "" : ",").append(layers[i].descriptor());
        }
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"config\":" + configBlob.descriptor()
                + ",\"layers\":[" + layerList + "]}";
        Blob image = blob(MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
        architectures.put(image.digest(), architecture);
        return image;
    }

    /** An image index over images for two or more platforms (stored). */
    public Blob index(Blob... images) {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < images.length; i++) {
            entries.append(i == 0 ? "" : ",").append(images[i].descriptor().replaceFirst("}$",
                    ",\"platform\":{\"architecture\":\"" + architectures.get(images[i].digest()) + "\",\"os\":\"linux\"}}"));
        }
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + INDEX + "\",\"manifests\":[" + entries + "]}";
        return blob(INDEX, index.getBytes(StandardCharsets.UTF_8));
    }

    /** Names a manifest or index in index.json under {@code tag}, so {@code oci:<dir>:<tag>} finds it. */
    public OciLayout tag(String tag, Blob manifest) {
        refs.add(manifest.descriptor().replaceFirst("}$",
                ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}"));
        writeIndex();
        return this;
    }

    /** A single-platform image with {@code layers} fresh layers, tagged. */
    public Blob taggedImage(String tag, int layers) {
        Blob[] blobs = new Blob[layers];
        for (int i = 0; i < layers; i++) {
            blobs[i] = layer(2048 + random.nextInt(4096));
        }
        Blob image = image("amd64", blobs);
        tag(tag, image);
        return image;
    }

    public Blob blob(String mediaType, byte[] bytes) {
        String digest = Digest.sha256Of(bytes).toString();
        try {
            Files.write(dir.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Blob(mediaType, digest, bytes.length, bytes);
    }

    private void writeIndex() {
        try {
            Files.writeString(dir.resolve("index.json"),
                    "{\"schemaVersion\":2,\"manifests\":[" + String.join(",", refs) + "]}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
