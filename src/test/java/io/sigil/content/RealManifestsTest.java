package io.sigil.content;

import static io.sigil.content.TestManifests.bytes;
import static io.sigil.content.TestManifests.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.storage.Digest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Manifests written by real tools (containers/image, cosign, go-containerregistry); see the resources README. */
class RealManifestsTest {

    static final Digest D1 = Digest.parse("sha256:20bf21ed457b390829cdbeec8795a7bea1626991fda603e0d01b4e7f60427e55");
    static final Digest D2 = Digest.parse("sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00");
    static final Digest D4 = Digest.parse("sha256:253c890b744fe3efa923b68e3a1be07bd007eb44ba29da1e7deb1d4c53b3e212");

    @Test
    void dockerSchema2FromContainersImage() {
        ParsedManifest m = parse("docker-v2s2-image.json");

        assertEquals(D1, m.digest());
        assertEquals(995, m.size());
        assertEquals(MediaTypes.DOCKER_MANIFEST, m.mediaType());
        assertEquals(2, m.schemaVersion());
        assertEquals(ManifestKind.IMAGE, m.kind());
        assertEquals(MediaTypes.DOCKER_CONFIG, m.config().mediaType());
        assertEquals(Digest.parse("sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"),
                m.config().digest());
        assertEquals(7023, m.config().size());
        assertEquals(List.of(32654L, 16724L, 73109L), m.layers().stream().map(Descriptor::size).toList());
        assertEquals("sha256:ec4b8955958665577945c89419d1af06b5f7636b4ac3da7f12184802ad867736",
                m.layers().get(2).digest().toString());
        assertEquals("application/vnd.docker.image.rootfs.diff.tar.gzip", m.layers().get(0).mediaType());
        assertNull(m.subject());
        assertNull(m.artifactType());
        assertEquals(Map.of(), m.annotations());
        assertEquals(4, m.blobDigests().size());
        assertTrue(m.childDigests().isEmpty());
    }

    @Test
    void compactDockerManifestSignedByCosign() {
        ParsedManifest m = ManifestParser.parse(bytes("docker-v2s2-cosign-valid.json"), MediaTypes.DOCKER_MANIFEST);

        assertEquals(D2, m.digest());
        assertEquals(ManifestKind.IMAGE, m.kind());
        assertEquals(List.of("sha256:961769676411f082461f9ef46626dd7a2d1e2b2a38e6a44364bcbecf51e66dd4",
                "sha256:9d16cba9fb961d1aafec9542f2bf7cb64acfc55245f9e4eb5abecd4cdc38d749"),
                m.blobDigests().stream().map(Digest::toString).toList());
    }

    @Test
    void unknownMembersAreIgnoredButStillCountInTheDigest() {
        ParsedManifest m = parse("docker-v2s2-modified.json");

        assertEquals("sha256:d9dcafdb480aa7c475e91737b96925e45844213dcb0290b4a90017459121f71f", m.digest().toString());
        assertEquals(parse("docker-v2s2-cosign-valid.json").blobDigests(), m.blobDigests());
    }

    @Test
    void ociManifestWithNoLayersAndEmptyAnnotationValues() {
        ParsedManifest m = parse("oci-image-pki.json");

        assertEquals(D4, m.digest());
        assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
        assertEquals(ManifestKind.IMAGE, m.kind());
        assertEquals(List.of(), m.layers());
        assertEquals(348, m.config().size());
        assertEquals(Map.of("org.opencontainers.image.base.digest", "", "org.opencontainers.image.base.name", ""),
                m.annotations());
    }

    @Test
    void schema1FromContainersImageIsUnsupported() {
        var e = assertThrows(ManifestInvalidException.class, () -> parse("docker-v2s1.json"));
        assertTrue(e.getMessage().startsWith("unsupported manifest media type"), e.getMessage());
    }

    @Test
    void cosignSignatureManifestAsContainersImageWritesIt() {
        ParsedManifest m = parse("cosign-sig-containers-image.json");

        assertEquals(ManifestKind.COSIGN_SIGNATURE, m.kind());
        assertEquals(MediaTypes.OCI_CONFIG, m.config().mediaType());
        assertEquals(2, m.layers().size());
        Descriptor first = m.layers().get(0);
        assertEquals(MediaTypes.COSIGN_SIMPLE_SIGNING, first.mediaType());
        assertEquals(261, first.size());
        assertEquals(Map.of("dev.cosignproject.cosign/signature",
                "MEYCIQDmtamqYPjMg81nqeBhptrPls44aA/r7PwLmspINJY4MwIhANKRpqe2E9UCBtGFdPoz/8jAbaQm4uP4h+IpwKTE6ClR"),
                first.annotations());
        // Two signatures over the same payload: two layers, one payload blob.
        assertEquals(first.digest(), m.layers().get(1).digest());
        assertEquals(List.of(m.config().digest(), first.digest()), List.copyOf(m.blobDigests()));
        assertEquals(MediaTypes.OCI_CONFIG, m.referrerDescriptor().artifactType());
    }

    @Test
    void cosignBundleReferrerPointsAtTheImageItAttests() throws Exception {
        ParsedManifest referrer = parse("cosign-bundle-referrer.json");
        byte[] subjectBytes = bytes("ggcr-empty-image.json");
        byte[] bundle = bytes("blob-oci-attestation.sigstore.json");
        ParsedManifest subject = ManifestParser.parse(subjectBytes, null);

        assertEquals(ManifestKind.SIGSTORE_BUNDLE, referrer.kind());
        assertEquals(MediaTypes.SIGSTORE_BUNDLE_V03, referrer.artifactType());
        assertEquals(MediaTypes.OCI_EMPTY, referrer.config().mediaType());
        assertEquals(Digest.sha256Of("{}".getBytes(StandardCharsets.UTF_8)), referrer.config().digest());
        assertEquals(MediaTypes.SIGSTORE_BUNDLE_V03, referrer.config().artifactType());
        assertEquals(Digest.sha256Of(bundle), referrer.layers().get(0).digest());
        assertEquals(bundle.length, referrer.layers().get(0).size());
        assertEquals(subject.digest(), referrer.subject().digest());
        assertEquals(subjectBytes.length, referrer.subject().size());
        assertEquals(MediaTypes.DOCKER_MANIFEST, referrer.subject().mediaType());
        assertEquals("https://cosign.sigstore.dev/attestation/v1",
                referrer.annotations().get("dev.sigstore.bundle.predicateType"));
        // The in-toto statement inside the real bundle names the same subject digest.
        String statement = new String(Base64.getDecoder().decode(dssePayload(bundle)), StandardCharsets.UTF_8);
        assertTrue(statement.contains(subject.digest().hex()), statement);
    }

    @Test
    void emptyGoContainerRegistryImageHasNoLayers() {
        ParsedManifest m = parse("ggcr-empty-image.json");

        assertEquals("sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4", m.digest().toString());
        assertEquals(ManifestKind.IMAGE, m.kind());
        assertEquals(List.of(m.config().digest()), List.copyOf(m.blobDigests()));
    }

    @Test
    void ociIndexWithTwoPlatforms() {
        ParsedManifest m = parse("oci-index-two-platforms.json");

        assertEquals(MediaTypes.OCI_INDEX, m.mediaType());
        assertEquals(ManifestKind.INDEX, m.kind());
        assertNull(m.config());
        assertTrue(m.blobDigests().isEmpty());
        Digest arm64 = Digest.parse("sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f");
        assertEquals(List.of(D4, arm64), List.copyOf(m.childDigests()));
        Platform amd64 = m.manifests().get(0).platform();
        assertEquals("amd64", amd64.architecture());
        assertEquals("linux", amd64.os());
        assertNull(amd64.variant());
        Descriptor arm = m.manifests().get(1);
        assertEquals("arm64", arm.platform().architecture());
        assertEquals("v8", arm.platform().variant());
        assertEquals(7143, arm.size());
        assertEquals(Map.of("org.opencontainers.image.ref.name", "arm64"), arm.annotations());
        assertEquals("2025-03-01T12:00:00Z", m.annotations().get("org.opencontainers.image.created"));
    }

    @Test
    void dockerManifestListWithEveryPlatformField() {
        ParsedManifest m = parse("docker-manifest-list.json");

        assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, m.mediaType());
        assertEquals(ManifestKind.INDEX, m.kind());
        assertEquals(List.of(D1, D2, Digest.parse(
                "sha256:3c3a4604a545cdc127456d94e421cd355bca5b528f4a9c1905b15da2eb4a4c6b")),
                List.copyOf(m.childDigests()));
        assertEquals(new Platform("arm", "linux", null, List.of(), "v7", List.of("sse4")),
                m.manifests().get(1).platform());
        assertEquals(new Platform("amd64", "windows", "10.0.17763.1457", List.of("win32k"), null, List.of()),
                m.manifests().get(2).platform());
    }

    @Test
    void ociArtifactWithSubject() {
        ParsedManifest m = parse("oci-artifact-subject.json");

        assertEquals(ManifestKind.ARTIFACT, m.kind());
        assertEquals("application/vnd.example.sbom.v1+json", m.artifactType());
        assertEquals(D4, m.subject().digest());
        assertEquals(346, m.subject().size());
        assertEquals("application/spdx+json", m.layers().get(0).mediaType());
        assertEquals(Map.of("org.opencontainers.image.title", "sbom.spdx.json"), m.layers().get(0).annotations());
    }

    private static String dssePayload(byte[] bundle) throws java.io.IOException {
        return new ObjectMapper().readTree(bundle).at("/dsseEnvelope/payload").textValue();
    }
}
