package io.sigil.exchange;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.content.Blob;
import io.sigil.content.ContentStore;
import io.sigil.content.Manifest;
import io.sigil.content.ManifestParser;
import io.sigil.content.Signature;
import io.sigil.content.Tag;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryService;
import io.sigil.repository.VersionChange;
import io.sigil.repository.VersionWriter;
import io.sigil.signature.AtomicSignatures;
import io.sigil.signature.CosignSignatures;
import io.sigil.signature.OpenPgpSigner;
import io.sigil.signature.SignatureIngest;
import io.sigil.signature.UntrustedCosignSignature;
import io.sigil.storage.BlobStore;
import io.sigil.storage.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Signed images with real bytes in blob storage: an image with an atomic signature (made with a throwaway key), a
 * cosign {@code .sig} attachment with its signature unit, and a list over two images.
 */
@ApplicationScoped
public class ExchangeFixtures {

    static final org.bouncycastle.openpgp.PGPSecretKeyRing KEY_RING =
            OpenPgpSigner.generateKeyRing("Exchange Test <exchange@example.com>", null);
    static final OpenPgpSigner SIGNER = new OpenPgpSigner(KEY_RING.getSecretKey(), null);

    @Inject
    BlobStore blobStore;
    @Inject
    ContentStore store;
    @Inject
    SignatureIngest ingest;
    @Inject
    RepositoryService repositories;
    @Inject
    VersionWriter writer;

    /** Units of one signed image: its tag, manifest, blobs, atomic signature and cosign attachment. */
    public record SignedImage(Tag tag, Manifest manifest, Signature atomic, Manifest cosignManifest, Tag cosignTag,
                              Signature cosign, List<Blob> blobs) {
        Set<Long> ids() {
            Set<Long> ids = new HashSet<>(Set.of(tag.id, manifest.id, atomic.id, cosignManifest.id, cosignTag.id, cosign.id));
            blobs.forEach(b -> ids.add(b.id));
            return ids;
        }
    }

    public Blob blob(int size) {
        byte[] bytes = new byte[size];
        new Random().nextBytes(bytes);
        return blob(bytes);
    }

    public Blob blob(byte[] bytes) {
        int size = bytes.length;
        try {
            Digest digest = blobStore.put(bytes);
            return QuarkusTransaction.requiringNew().call(() -> store.blob(digest, size));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Manifest manifest(String json) {
        byte[] data = json.getBytes(StandardCharsets.UTF_8);
        var parsed = ManifestParser.parse(data, null);
        return QuarkusTransaction.requiringNew().call(() -> store.manifest(data, parsed));
    }

    public Manifest image(Blob config, Blob layer) {
        return manifest("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", config.digest, config.size) + ",\"layers\":["
                + descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer.digest, layer.size) + "]}");
    }

    public Tag tag(String name, Manifest manifest) {
        return QuarkusTransaction.requiringNew().call(() -> store.tag(name, Manifest.findById(manifest.id)));
    }

    public Signature atomic(Manifest manifest, String reference) {
        byte[] payload = AtomicSignatures.payload(reference, manifest.digest, "sigil exchange test", 1_700_000_000L);
        byte[] signature = SIGNER.sign(payload);
        return QuarkusTransaction.requiringNew().call(() -> ingest.atomic(manifest.digest, signature));
    }

    public SignedImage signedImage(String tagName) {
        Blob config = blob(64);
        Blob layer = blob(4096);
        Manifest image = image(config, layer);
        Tag tag = tag(tagName, image);
        Signature atomic = atomic(image, "example.com/vendor/app:" + tagName);
        byte[] payloadBytes = CosignSignatures.payload("example.com/vendor/app", image.digest, null, 1_700_000_000L);
        Blob payload = blob(payloadBytes);
        Blob emptyConfig = blob(2);
        String signatureValue = "MEUCIQ" + UUID.randomUUID().toString().replace("-", "");
        Manifest sig = manifest("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", emptyConfig.digest, emptyConfig.size) + ",\"layers\":["
                + descriptor(CosignSignatures.SIMPLE_SIGNING_MEDIA_TYPE, payload.digest, payload.size)
                        .replaceFirst("}$", ",\"annotations\":{\"" + CosignSignatures.SIGNATURE_ANNOTATION + "\":\"" + signatureValue + "\"}}")
                + "]}");
        Tag sigTag = tag("sha256-" + Digest.parse(image.digest).hex() + ".sig", sig);
        var layerSignature = new UntrustedCosignSignature(CosignSignatures.SIMPLE_SIGNING_MEDIA_TYPE, payloadBytes,
                Map.of(CosignSignatures.SIGNATURE_ANNOTATION, signatureValue));
        Signature cosign = QuarkusTransaction.requiringNew().call(() -> ingest.cosign(image.digest, layerSignature, null, sig.digest));
        return new SignedImage(tag, image, atomic, sig, sigTag, cosign, List.of(config, layer, payload, emptyConfig));
    }

    /** An OCI 1.1 referrer of {@code image} carrying a cosign signature layer, and that signature unit. */
    public record Referrer(Manifest manifest, Signature signature, Set<Long> ids) {
    }

    public Referrer referrer(Manifest image) {
        byte[] payloadBytes = CosignSignatures.payload("example.com/vendor/app", image.digest, null, 1_700_000_001L);
        Blob payload = blob(payloadBytes);
        Blob emptyConfig = blob("{}".getBytes(StandardCharsets.UTF_8));
        String signatureValue = "MEYCIQ" + UUID.randomUUID().toString().replace("-", "");
        Manifest referrer = manifest("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"artifactType\":\"application/vnd.dev.cosign.artifact.sig.v1+json\",\"config\":"
                + descriptor("application/vnd.oci.empty.v1+json", emptyConfig.digest, emptyConfig.size) + ",\"layers\":["
                + descriptor(CosignSignatures.SIMPLE_SIGNING_MEDIA_TYPE, payload.digest, payload.size)
                        .replaceFirst("}$", ",\"annotations\":{\"" + CosignSignatures.SIGNATURE_ANNOTATION + "\":\"" + signatureValue + "\"}}")
                + "],\"subject\":" + descriptor(image.mediaType, image.digest, image.data.length) + "}");
        var layerSignature = new UntrustedCosignSignature(CosignSignatures.SIMPLE_SIGNING_MEDIA_TYPE, payloadBytes,
                Map.of(CosignSignatures.SIGNATURE_ANNOTATION, signatureValue));
        Signature signature = QuarkusTransaction.requiringNew().call(() -> ingest.cosign(image.digest, layerSignature, null,
                referrer.digest));
        return new Referrer(referrer, signature, Set.of(referrer.id, signature.id, payload.id, emptyConfig.id));
    }

    public Manifest list(Manifest... children) {
        StringBuilder entries = new StringBuilder();
        for (Manifest c : children) {
            entries.append(entries.length() == 0 ? "" : ",").append(descriptor(c.mediaType, c.digest, c.data.length)
                    .replaceFirst("}$", ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}"));
        }
        return manifest("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + entries + "],\"annotations\":{\"n\":\"" + UUID.randomUUID() + "\"}}");
    }

    public Repository repository(String name) {
        return repositories.create(name, "exchange test", null);
    }

    public void add(Repository repository, Set<Long> ids) {
        QuarkusTransaction.requiringNew().run(() -> writer.write(repository.id, VersionChange.adding(ids), null));
    }

    private static String descriptor(String mediaType, String digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }
}
