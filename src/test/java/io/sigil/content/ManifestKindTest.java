package io.sigil.content;

import static io.sigil.content.InvalidManifestTest.edit;
import static io.sigil.content.TestManifests.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How a manifest's kind follows from its artifactType, config media type and layer media types. */
class ManifestKindTest {

    private static final String EMPTY_CONFIG = """
            {"mediaType":"application/vnd.oci.empty.v1+json","size":2,\
            "digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"}""";

    @Test
    void imageLayersUnderAnImageConfigMakeAnImage() {
        String zstdAndForeign = descriptor("application/vnd.oci.image.layer.v1.tar+zstd") + ","
                + descriptor("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");
        assertEquals(ManifestKind.IMAGE, kind(manifest(null, ociConfig(), zstdAndForeign)));
    }

    @Test
    void legacyCosignAttestationIsRecognisedByItsDsseLayers() {
        assertEquals(ManifestKind.COSIGN_ATTESTATION,
                kind(manifest(null, ociConfig(), descriptor(MediaTypes.DSSE_ENVELOPE))));
    }

    @Test
    void cosignReferrersModeAttestationIsRecognisedByItsArtifactType() {
        assertEquals(ManifestKind.COSIGN_ATTESTATION,
                kind(manifest(MediaTypes.IN_TOTO, EMPTY_CONFIG, descriptor(MediaTypes.DSSE_ENVELOPE))));
    }

    @Test
    void cosignReferrersModeSignatureIsRecognisedByItsConfigMediaType() {
        String config = edit(ociConfig(), MediaTypes.OCI_CONFIG, MediaTypes.COSIGN_ARTIFACT_SIG);
        assertEquals(ManifestKind.COSIGN_SIGNATURE,
                kind(manifest(null, config, descriptor("application/octet-stream"))));
        assertEquals(ManifestKind.COSIGN_SIGNATURE,
                kind(manifest(MediaTypes.COSIGN_ARTIFACT_SIG, config, descriptor(MediaTypes.COSIGN_SIMPLE_SIGNING))));
    }

    @Test
    void signatureLayersMakeASignatureManifestEvenBesideOtherAttachments() {
        String layers = descriptor("text/plain") + "," + descriptor(MediaTypes.COSIGN_SIMPLE_SIGNING);
        assertEquals(ManifestKind.COSIGN_SIGNATURE, kind(manifest(null, ociConfig(), layers)));
    }

    @Test
    void cosignSignatureWithDockerMediaTypes() {
        String docker = edit(edit(manifest(null, ociConfig(), descriptor(MediaTypes.COSIGN_SIMPLE_SIGNING)),
                MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST), MediaTypes.OCI_CONFIG, MediaTypes.DOCKER_CONFIG);
        assertEquals(ManifestKind.COSIGN_SIGNATURE, kind(docker));
    }

    @Test
    void attachedSbomIsRecognisedByItsLayers() {
        assertEquals(ManifestKind.COSIGN_SBOM, kind(manifest(null, ociConfig(), descriptor("text/spdx+json"))));
        assertEquals(ManifestKind.COSIGN_SBOM,
                kind(manifest(MediaTypes.COSIGN_ARTIFACT_SBOM, EMPTY_CONFIG, descriptor("application/octet-stream"))));
    }

    @Test
    void sigstoreBundlesOfEveryVersionAreRecognised() {
        assertEquals(ManifestKind.SIGSTORE_BUNDLE,
                kind(manifest(null, ociConfig(), descriptor("application/vnd.dev.sigstore.bundle+json;version=0.2"))));
        assertEquals(ManifestKind.SIGSTORE_BUNDLE,
                kind(manifest(MediaTypes.SIGSTORE_BUNDLE_V03, EMPTY_CONFIG,
                        descriptor(MediaTypes.SIGSTORE_BUNDLE_V03))));
    }

    @Test
    void anUnknownArtifactTypeWinsOverSignatureLikeLayers() {
        assertEquals(ManifestKind.ARTIFACT, kind(manifest("application/vnd.cncf.notary.signature", EMPTY_CONFIG,
                descriptor(MediaTypes.COSIGN_SIMPLE_SIGNING))));
    }

    @Test
    void aNonImageConfigOrLayerMakesAnArtifact() {
        String helmConfig = edit(ociConfig(), MediaTypes.OCI_CONFIG, "application/vnd.cncf.helm.config.v1+json");
        assertEquals(ManifestKind.ARTIFACT,
                kind(manifest(null, helmConfig, descriptor("application/vnd.cncf.helm.chart.content.v1.tar+gzip"))));
        // containers/image's "other attachment" fixture: a .sig manifest holding only a text/plain layer.
        assertEquals(ManifestKind.ARTIFACT, kind(manifest(null, ociConfig(), descriptor("text/plain"))));
    }

    private static ManifestKind kind(String manifest) {
        return ManifestParser.parse(utf8(manifest), null).kind();
    }

    private static String manifest(String artifactType, String config, String layers) {
        String type = artifactType == null ? "" : "\"artifactType\":\"" + artifactType + "\",";
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"," + type
                + "\"config\":" + config + ",\"layers\":[" + layers + "]}";
    }

    private static String ociConfig() {
        return descriptor(MediaTypes.OCI_CONFIG);
    }

    private static String descriptor(String mediaType) {
        return "{\"mediaType\":\"" + mediaType + "\",\"size\":1,"
                + "\"digest\":\"sha256:9d16cba9fb961d1aafec9542f2bf7cb64acfc55245f9e4eb5abecd4cdc38d749\"}";
    }
}
