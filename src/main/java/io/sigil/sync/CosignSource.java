package io.sigil.sync;

import io.sigil.content.CosignTags;
import io.sigil.content.Descriptor;
import io.sigil.content.MediaTypes;
import io.sigil.signature.CosignSignatures;
import io.sigil.signature.SignatureIngest;
import io.sigil.signature.UntrustedCosignSignature;
import io.sigil.storage.BlobStore;
import io.sigil.storage.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Cosign attachments: the {@code sha256-<hex>.sig}, {@code .att} and {@code .sbom} tags of a manifest, asked for by
 * name whatever the tag filters say (only those absent from the upstream's tag list, when it was read, are not asked
 * for). All are brought as manifests with their
 * tags; the simple-signing layers of {@code .sig} are also signatures of the manifest (signature-formats.md §4).
 */
final class CosignSource implements SignatureSource {

    static final int MAX_LAYER_BYTES = SignatureIngest.MAX_SIGNATURE_BYTES;
    private static final List<CosignTags.TagKind> KINDS = List.of(CosignTags.TagKind.SIGNATURE,
            CosignTags.TagKind.ATTESTATION, CosignTags.TagKind.SBOM);

    private final ManifestFetcher fetcher;
    private final RegistryClient client;
    private final BlobStore blobs;
    private final ListedTags listed;

    CosignSource(ManifestFetcher fetcher, RegistryClient client, BlobStore blobs, ListedTags listed) {
        this.fetcher = fetcher;
        this.client = client;
        this.blobs = blobs;
        this.listed = listed;
    }

    @Override
    public SourceKind kind() {
        return SourceKind.COSIGN;
    }

    @Override
    public Findings find(Digest subject) throws IOException {
        Findings findings = new Findings();
        for (CosignTags.TagKind kind : KINDS) {
            String tag = CosignTags.tag(subject, kind);
            if (!listed.mayExist(tag)) {
                continue;
            }
            Optional<UpstreamManifest> attached;
            try {
                attached = fetcher.byTag(tag);
            } catch (SkippedException e) {
                findings.problems.add("cosign tag " + tag + ": " + e.getMessage());
                continue;
            }
            if (attached.isPresent()) {
                findings.attachments.add(new Findings.Attachment(SourceKind.COSIGN, attached.get(), tag));
                if (kind == CosignTags.TagKind.SIGNATURE) {
                    readSignatures(attached.get(), tag, findings);
                }
            }
        }
        return findings;
    }

    private void readSignatures(UpstreamManifest sig, String tag, Findings findings) throws IOException {
        if (!MediaTypes.OCI_MANIFEST.equals(sig.parsed().mediaType())) {
            findings.problems.add("cosign tag " + tag + " is a " + sig.parsed().mediaType() + ", not an OCI image manifest");
            return;
        }
        for (Descriptor layer : sig.parsed().layers()) {
            if (!CosignSignatures.SIMPLE_SIGNING_MEDIA_TYPE.equals(layer.mediaType())) {
                continue;
            }
            if (layer.size() > MAX_LAYER_BYTES) {
                findings.problems.add("cosign layer " + layer.digest() + " of " + tag + " is larger than 4 MiB");
                continue;
            }
            byte[] payload = layerBytes(layer.digest());
            findings.signatures.add(FoundSignature.cosign(SourceKind.COSIGN,
                    new UntrustedCosignSignature(layer.mediaType(), payload, layer.annotations()), sig.digest()));
        }
    }

    /** The payload is needed now to check the signature; it is stored at once, so the blob phase skips it. */
    private byte[] layerBytes(Digest digest) throws IOException {
        if (blobs.exists(digest)) {
            try (InputStream in = blobs.open(digest, 0)) {
                return UpstreamHttp.readBounded(in, MAX_LAYER_BYTES, "blob " + digest);
            }
        }
        byte[] bytes = client.smallBlob(digest, MAX_LAYER_BYTES);
        blobs.put(bytes);
        return bytes;
    }
}
