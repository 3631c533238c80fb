package io.sigil.content;

import static io.sigil.content.InvalidManifestTest.INDEX;
import static io.sigil.content.InvalidManifestTest.MANIFEST;
import static io.sigil.content.InvalidManifestTest.edit;
import static io.sigil.content.InvalidManifestTest.withoutMediaType;
import static io.sigil.content.TestManifests.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Things the specifications allow that a strict parser could wrongly refuse. */
class AcceptedManifestTest {

    @Test
    void ociBodyWithoutMediaTypeTakesTheContentType() {
        String body = withoutMediaType(MANIFEST);
        assertEquals(MediaTypes.OCI_MANIFEST, ManifestParser.parse(utf8(body), MediaTypes.OCI_MANIFEST).mediaType());
        assertEquals(MediaTypes.OCI_INDEX,
                ManifestParser.parse(utf8(withoutMediaType(INDEX)), MediaTypes.OCI_INDEX).mediaType());
    }

    @Test
    void contentTypeParametersAndCaseAreIgnored() {
        ParsedManifest m = ManifestParser.parse(utf8(MANIFEST),
                "Application/VND.oci.image.manifest.v1+json; charset=utf-8");
        assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
    }

    @Test
    void blankContentTypeCountsAsNone() {
        assertEquals(MediaTypes.OCI_MANIFEST, ManifestParser.parse(utf8(MANIFEST), "  ").mediaType());
    }

    @Test
    void foreignLayersKeepTheirUrls() {
        String body = edit(edit(MANIFEST, "application/vnd.oci.image.layer.v1.tar+gzip",
                "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"),
                "\"annotations\":{\"a\"", "\"urls\":[\"https://example.com/layer.tgz\"],\"annotations\":{\"a\"");
        Descriptor layer = ManifestParser.parse(utf8(body), null).layers().get(0);

        assertEquals(List.of("https://example.com/layer.tgz"), layer.urls());
        assertEquals(ManifestKind.IMAGE, ManifestParser.parse(utf8(body), null).kind());
    }

    @Test
    void nullOptionalMembersCountAsAbsent() {
        String body = edit(MANIFEST, "\"annotations\":{\"k\":\"v\"}",
                "\"annotations\":null,\"subject\":null,\"artifactType\":null");
        ParsedManifest m = ManifestParser.parse(utf8(body), null);

        assertEquals(Map.of(), m.annotations());
        assertNull(m.subject());
        assertNull(m.artifactType());
    }

    @Test
    void unknownLayerMediaTypesAreStored() {
        String body = edit(MANIFEST, "application/vnd.oci.image.layer.v1.tar+gzip", "application/vnd.acme.rocket.v9");
        assertEquals("application/vnd.acme.rocket.v9",
                ManifestParser.parse(utf8(body), null).layers().get(0).mediaType());
    }

    @Test
    void emptyIndexIsValid() {
        String body = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[]}";
        ParsedManifest m = ManifestParser.parse(utf8(body), null);
        assertEquals(List.of(), m.manifests());
        assertEquals(ManifestKind.INDEX, m.kind());
    }

    @Test
    void ociIndexMayCarrySubjectAndArtifactType() {
        String body = edit(INDEX, "\"manifests\":", "\"artifactType\":\"application/vnd.example.bundle\","
                + "\"subject\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"size\":346,"
                + "\"digest\":\"" + RealManifestsTest.D4 + "\"},\"manifests\":");
        ParsedManifest m = ManifestParser.parse(utf8(body), null);

        assertEquals("application/vnd.example.bundle", m.artifactType());
        assertEquals(RealManifestsTest.D4, m.subject().digest());
        assertEquals("application/vnd.example.bundle", m.referrerDescriptor().artifactType());
    }

    @Test
    void dockerManifestsHaveNoSubjectOrArtifactType() {
        // Neither field exists in Docker schema 2, so they cannot make it a referrer.
        String body = edit(edit(MANIFEST, MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST), "\"config\":",
                "\"artifactType\":\"application/vnd.example\",\"subject\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                        + "\",\"size\":346,\"digest\":\"" + RealManifestsTest.D4 + "\"},\"config\":");
        ParsedManifest m = ManifestParser.parse(utf8(body), MediaTypes.DOCKER_MANIFEST);

        assertNull(m.subject());
        assertNull(m.artifactType());
        assertEquals(ManifestKind.IMAGE, m.kind());
    }

    @Test
    void emptyConfigIsFineWithAnArtifactType() {
        String body = edit(edit(MANIFEST, "application/vnd.oci.image.config.v1+json", MediaTypes.OCI_EMPTY),
                "\"config\":", "\"artifactType\":\"application/vnd.example.thing.v1\",\"config\":");
        assertEquals(ManifestKind.ARTIFACT, ManifestParser.parse(utf8(body), null).kind());
    }

    @Test
    void resultsAreImmutable() {
        ParsedManifest m = ManifestParser.parse(utf8(MANIFEST), null);
        assertThrows(UnsupportedOperationException.class, () -> m.annotations().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> m.layers().clear());
        assertThrows(UnsupportedOperationException.class, () -> m.layers().get(0).annotations().clear());
        assertThrows(UnsupportedOperationException.class, () -> m.blobDigests().clear());
    }
}
