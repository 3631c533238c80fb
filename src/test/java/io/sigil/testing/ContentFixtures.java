package io.sigil.testing;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.content.Blob;
import io.sigil.content.ContentStore;
import io.sigil.content.Manifest;
import io.sigil.content.NewManifest;
import io.sigil.content.NewSignature;
import io.sigil.content.Signature;
import io.sigil.content.Tag;
import io.sigil.storage.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds content units straight through the content store, for tests of the repository model. */
@ApplicationScoped
public class ContentFixtures {

    @Inject
    ContentStore store;

    public Blob blob() {
        byte[] bytes = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        return QuarkusTransaction.requiringNew().call(() -> store.blob(Digest.sha256Of(bytes), bytes.length));
    }

    public Manifest image(Blob... blobs) {
        List<String> digests = Arrays.stream(blobs).map(b -> b.digest).toList();
        byte[] data = ("{\"schemaVersion\":2,\"n\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
        return save(new NewManifest(Digest.sha256Of(data).toString(), "application/vnd.oci.image.manifest.v1+json", 2,
                "image", data, digests.isEmpty() ? null : digests.get(0), digests, List.of(), null, null, Map.of()));
    }

    public Manifest referrer(Manifest subject, Blob... blobs) {
        List<String> digests = Arrays.stream(blobs).map(b -> b.digest).toList();
        byte[] data = ("{\"schemaVersion\":2,\"r\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
        return save(new NewManifest(Digest.sha256Of(data).toString(), "application/vnd.oci.image.manifest.v1+json", 2,
                "artifact", data, null, digests, List.of(), "application/example", subject.digest, Map.of()));
    }

    public Manifest list(Manifest... children) {
        byte[] data = ("{\"schemaVersion\":2,\"l\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
        List<NewManifest.ChildRef> refs = Arrays.stream(children)
                .map(c -> new NewManifest.ChildRef(c.digest, "amd64", "linux", null, null, null)).toList();
        return save(new NewManifest(Digest.sha256Of(data).toString(), "application/vnd.oci.image.index.v1+json", 2,
                "index", data, null, List.of(), refs, null, null, Map.of()));
    }

    private Manifest save(NewManifest m) {
        return QuarkusTransaction.requiringNew().call(() -> store.manifest(m));
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
