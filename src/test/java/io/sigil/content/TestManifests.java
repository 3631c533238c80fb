package io.sigil.content;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the manifests under {@code src/test/resources/manifests/} byte for byte. */
final class TestManifests {

    private TestManifests() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = TestManifests.class.getResourceAsStream("/manifests/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test manifest " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ParsedManifest parse(String name) {
        return ManifestParser.parse(bytes(name), null);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
