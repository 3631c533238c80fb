package io.sigil.content;

import static io.sigil.content.TestManifests.bytes;
import static io.sigil.content.TestManifests.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sigil.storage.Digest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The helpers the registry builds on: referenced blobs and children, and referrers entries. */
class ParsedManifestTest {

    @Test
    void referrerDescriptorOfAnArtifactUsesItsArtifactTypeAndAnnotations() {
        byte[] body = bytes("oci-artifact-subject.json");
        Descriptor d = parse("oci-artifact-subject.json").referrerDescriptor();

        assertEquals(MediaTypes.OCI_MANIFEST, d.mediaType());
        assertEquals(Digest.sha256Of(body), d.digest());
        assertEquals(body.length, d.size());
        assertEquals("application/vnd.example.sbom.v1+json", d.artifactType());
        // Annotations are copied in the author's order.
        assertEquals(List.of("org.opencontainers.image.created", "com.example.tool"),
                List.copyOf(d.annotations().keySet()));
        assertEquals("sbom-generator", d.annotations().get("com.example.tool"));
        assertNull(d.platform());
        assertTrue(d.urls().isEmpty());
    }

    @Test
    void referrerDescriptorFallsBackToTheConfigMediaType() {
        Descriptor d = parse("oci-image-pki.json").referrerDescriptor();
        assertEquals(MediaTypes.OCI_CONFIG, d.artifactType());
        assertEquals(Map.of("org.opencontainers.image.base.digest", "", "org.opencontainers.image.base.name", ""),
                d.annotations());
    }

    @Test
    void referrerDescriptorOfAnIndexWithoutArtifactTypeHasNone() {
        Descriptor d = parse("oci-index-two-platforms.json").referrerDescriptor();
        assertEquals(MediaTypes.OCI_INDEX, d.mediaType());
        assertNull(d.artifactType());
    }

    @Test
    void blobDigestsListConfigThenLayersOnce() {
        ParsedManifest m = parse("docker-v2s2-image.json");
        assertEquals(List.of(m.config().digest(), m.layers().get(0).digest(), m.layers().get(1).digest(),
                m.layers().get(2).digest()), List.copyOf(m.blobDigests()));
    }

    @Test
    void childDigestsAreEmptyForImagesAndBlobDigestsForIndexes() {
        assertTrue(parse("docker-v2s2-image.json").childDigests().isEmpty());
        assertTrue(parse("docker-manifest-list.json").blobDigests().isEmpty());
        assertEquals(3, parse("docker-manifest-list.json").childDigests().size());
    }
}
