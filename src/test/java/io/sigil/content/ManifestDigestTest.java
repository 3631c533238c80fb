package io.sigil.content;

import static io.sigil.content.TestManifests.bytes;
import static io.sigil.content.TestManifests.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.storage.Digest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The digest is of the bytes as received: never of a re-serialised form. */
class ManifestDigestTest {

    @Test
    void jsonEqualBodiesWithDifferentBytesHaveDifferentDigests() throws Exception {
        byte[] compact = bytes("docker-v2s2-cosign-valid.json");
        byte[] pretty = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(
                new ObjectMapper().readTree(compact));
        assertEquals(new ObjectMapper().readTree(compact), new ObjectMapper().readTree(pretty));

        ParsedManifest a = ManifestParser.parse(compact, null);
        ParsedManifest b = ManifestParser.parse(pretty, null);

        assertEquals(RealManifestsTest.D2, a.digest());
        assertEquals(Digest.sha256Of(pretty), b.digest());
        assertNotEquals(a.digest(), b.digest());
        assertEquals(pretty.length, b.size());
        assertEquals(a.blobDigests(), b.blobDigests());
    }

    @Test
    void aTrailingNewlineIsPartOfTheDigest() {
        byte[] original = bytes("docker-v2s2-image.json");
        byte[] withNewline = Arrays.copyOf(original, original.length + 1);
        withNewline[original.length] = '\n';

        assertEquals(RealManifestsTest.D1, ManifestParser.parse(original, null).digest());
        assertEquals(Digest.sha256Of(withNewline), ManifestParser.parse(withNewline, null).digest());
        assertNotEquals(RealManifestsTest.D1, ManifestParser.parse(withNewline, null).digest());
    }

    @Test
    void parsingLeavesTheCallersBytesUntouched() {
        byte[] body = bytes("oci-index-two-platforms.json");
        byte[] copy = body.clone();
        ManifestParser.parse(body, null);
        assertArrayEquals(copy, body);
    }

    @Test
    void acceptsExactlyTheSizeLimitAndRefusesOneByteMore() {
        byte[] atLimit = padTo(ManifestParser.MAX_MANIFEST_BYTES);
        byte[] overLimit = padTo(ManifestParser.MAX_MANIFEST_BYTES + 1);

        assertEquals(4 * 1024 * 1024, atLimit.length);
        assertDoesNotThrow(() -> ManifestParser.parse(atLimit, null));
        var e = assertThrows(ManifestTooLargeException.class, () -> ManifestParser.parse(overLimit, null));
        assertEquals(ManifestParser.MAX_MANIFEST_BYTES + 1L, e.size());
        assertEquals(ManifestParser.MAX_MANIFEST_BYTES, e.limit());
    }

    @Test
    void oversizedBodiesAreRefusedBeforeParsing() {
        byte[] garbage = new byte[ManifestParser.MAX_MANIFEST_BYTES + 1];
        assertThrows(ManifestTooLargeException.class, () -> ManifestParser.parse(garbage, null));
    }

    /** A valid manifest padded with trailing whitespace, which JSON allows, to exactly {@code length} bytes. */
    private static byte[] padTo(int length) {
        byte[] manifest = utf8(InvalidManifestTest.MANIFEST);
        byte[] padded = Arrays.copyOf(manifest, length);
        Arrays.fill(padded, manifest.length, length, (byte) ' ');
        return padded;
    }
}
