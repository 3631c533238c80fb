package io.sigil.testing;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.content.Blob;
import io.sigil.content.ContentStore;
import io.sigil.content.Manifest;
import io.sigil.content.ManifestParser;
import io.sigil.content.ParsedManifest;
import io.sigil.content.NewSignature;
import io.sigil.content.Signature;
import io.sigil.content.Tag;
import io.sigil.storage.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

/** Builds content units straight through the content store, for tests of the repository model. */
@ApplicationScoped
public class ContentFixtures {

    @Inject
    ContentStore store;

    public Blob blob() {
        byte[] bytes = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        return QuarkusTransaction.requiringNew().call(() -> store.blob(Digest.sha256Of(bytes), bytes.length));
    }

    public Manifest image(Blob config, Blob... layers) {
        return save(manifestJson(config, "application/vnd.oci.image.config.v1+json", layers, null, null));
    }

    /** An OCI artifact that refers to {@code subject}, as an SBOM or a signature would. */
    public Manifest referrer(Manifest subject, Blob config, Blob... layers) {
        return save(manifestJson(config, "application/vnd.example.sbom.config+json", layers, "application/vnd.example.sbom",
                descriptor("application/vnd.oci.image.manifest.v1+json", subject.digest, subject.data.length)));
    }

    public Manifest list(Manifest... children) {
        String entries = Arrays.stream(children).map(c -> descriptor(c.mediaType, c.digest, c.data.length)
                .replaceFirst("}$", ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}"))
                .collect(Collectors.joining(","));
        return save("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + entries + "],\"annotations\":{\"n\":\"" + UUID.randomUUID() + "\"}}");
    }

    private static String manifestJson(Blob config, String configType, Blob[] layers, String artifactType, String subject) {
        String layerList = Arrays.stream(layers).map(l -> descriptor("application/vnd.oci.image.layer.v1.tar+gzip", l.digest, l.size))
                .collect(Collectors.joining(","));
        return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + (artifactType == null ? "" : "\"artifactType\":\"" + artifactType + "\",")
                + "\"config\":" + descriptor(configType, config.digest, config.size) + ",\"layers\":[" + layerList + "],"
                + (subject == null ? "" : "\"subject\":" + subject + ",")
                + "\"annotations\":{\"n\":\"" + UUID.randomUUID() + "\"}}";
    }

    private static String descriptor(String mediaType, String digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    private Manifest save(String json) {
        byte[] data = json.getBytes(StandardCharsets.UTF_8);
        ParsedManifest parsed = ManifestParser.parse(data, null);
        return QuarkusTransaction.requiringNew().call(() -> store.manifest(data, parsed));
    }

    /** Stores given manifest bytes (e.g. an upstream fixture), with blob units for the blobs it names. */
    public Manifest manifest(byte[] data) {
        ParsedManifest parsed = ManifestParser.parse(data, null);
        return QuarkusTransaction.requiringNew().call(() -> {
            if (parsed.config() != null) {
                store.blob(parsed.config().digest(), parsed.config().size());
            }
            parsed.layers().forEach(layer -> store.blob(layer.digest(), layer.size()));
            return store.manifest(data, parsed);
        });
    }

    public Tag tag(String name, Manifest manifest) {
        return QuarkusTransaction.requiringNew().call(() -> store.tag(name, Manifest.findById(manifest.id)));
    }

    public Signature signature(Manifest manifest, String keyId) {
        byte[] data = ("signature " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        return QuarkusTransaction.requiringNew().call(() -> store.signature(new NewSignature(manifest.digest, "atomic", null,
                data, keyId, null, null, null, "example.com/repo:tag", manifest.digest, null)));
    }

    /** An image with two fresh blobs, tagged. */
    public Tag taggedImage(String tagName) {
        return tag(tagName, image(blob(), blob()));
    }
}
