package io.sigil.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.lifecycle.LifecycleFixtures;
import io.sigil.signature.CosignSignatures;
import io.sigil.signature.UntrustedCosignSignature;
import io.sigil.testing.RegistryUploader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Content for sync upstreams that skopeo does not make: cosign {@code .sig} manifests and referrers with a fallback tag. */
final class Upstreams {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String SBOM_TYPE = "application/vnd.example.sbom.v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryUploader uploader;
    private final KeyPair cosignKey;

    Upstreams(String registryUrl) {
        this.uploader = new RegistryUploader(registryUrl);
        this.cosignKey = LifecycleFixtures.ecKey();
    }

    String cosignPublicKeyPem() {
        return LifecycleFixtures.pem(cosignKey);
    }

    /** Pushes {@code sha256-<hex>.sig} with one simple-signing layer signed by the cosign key, as cosign writes it. */
    String pushCosignSignature(String repository, String signedReference, String subjectDigest) {
        byte[] payload = cosignPayload(signedReference, subjectDigest);
        return pushCosignLayer(repository, subjectDigest, new UntrustedCosignSignature(CosignSignatures.SIMPLE_SIGNING_MEDIA_TYPE,
                payload, Map.of(CosignSignatures.SIGNATURE_ANNOTATION, sign(payload))));
    }

    static byte[] cosignPayload(String signedReference, String subjectDigest) {
        return ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + signedReference + "\"},\"image\":"
                + "{\"docker-manifest-digest\":\"" + subjectDigest + "\"},\"type\":\"cosign container image signature\"},"
                + "\"optional\":null}").getBytes(StandardCharsets.UTF_8);
    }

    /** Pushes {@code sha256-<hex>.sig} carrying {@code layer} (its payload as blob, its annotations as they are). */
    String pushCosignLayer(String repository, String subjectDigest, UntrustedCosignSignature layer) {
        byte[] payload = layer.payload();
        String layerDigest = uploader.blob(repository, payload);
        byte[] config = ("{\"architecture\":\"\",\"os\":\"\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + layerDigest + "\"]}}").getBytes(StandardCharsets.UTF_8);
        String configDigest = uploader.blob(repository, config);
        Map<String, Object> manifest = Map.of("schemaVersion", 2, "mediaType", OCI_MANIFEST,
                "config", Map.of("mediaType", "application/vnd.oci.image.config.v1+json", "size", config.length,
                        "digest", configDigest),
                "layers", List.of(Map.of("mediaType", layer.mediaType(), "size", payload.length, "digest", layerDigest,
                        "annotations", layer.annotations())));
        try {
            return uploader.manifest(repository, "sha256-" + subjectDigest.substring(7) + ".sig", OCI_MANIFEST,
                    JSON.writeValueAsBytes(manifest));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pushes an SBOM artifact referring to the subject, and the {@code sha256-<hex>} fallback index listing it. */
    String pushReferrerWithFallbackTag(String repository, String subjectDigest, long subjectSize) {
        byte[] sbom = ("{\"sbom\":\"" + subjectDigest + "\"}").getBytes(StandardCharsets.UTF_8);
        String layer = uploader.blob(repository, sbom);
        String empty = uploader.blob(repository, "{}".getBytes(StandardCharsets.UTF_8));
        byte[] artifact = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"artifactType\":\"" + SBOM_TYPE
                + "\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"size\":2,\"digest\":\"" + empty
                + "\"},\"layers\":[{\"mediaType\":\"application/json\",\"size\":" + sbom.length + ",\"digest\":\"" + layer
                + "\"}],\"subject\":{\"mediaType\":\"" + OCI_MANIFEST + "\",\"size\":" + subjectSize + ",\"digest\":\""
                + subjectDigest + "\"}}").getBytes(StandardCharsets.UTF_8);
        String artifactDigest = io.sigil.storage.Digest.sha256Of(artifact).toString();
        uploader.manifest(repository, artifactDigest, OCI_MANIFEST, artifact);
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                + OCI_MANIFEST + "\",\"size\":" + artifact.length + ",\"digest\":\"" + artifactDigest + "\",\"artifactType\":\""
                + SBOM_TYPE + "\"}]}").getBytes(StandardCharsets.UTF_8);
        uploader.manifest(repository, "sha256-" + subjectDigest.substring(7), OCI_INDEX, index);
        return artifactDigest;
    }

    private String sign(byte[] payload) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(cosignKey.getPrivate());
            signature.update(payload);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
