package io.sigil.content;

import static io.sigil.content.TestManifests.utf8;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each case breaks exactly one thing in an otherwise valid manifest and expects a message naming it. */
class InvalidManifestTest {

    private static final String CONFIG_DIGEST =
            "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7";
    private static final String LAYER_DIGEST =
            "sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f";

    static final String MANIFEST = """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":7023},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":32654,
                        "annotations":{"a":"b"}}],
             "annotations":{"k":"v"}}""".formatted(CONFIG_DIGEST, LAYER_DIGEST);

    static final String INDEX = """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",
             "manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":500,
                           "platform":{"architecture":"amd64","os":"linux"}}]}""".formatted(LAYER_DIGEST);

    @Test
    void theBaseDocumentsAreValid() {
        assertDoesNotThrow(() -> ManifestParser.parse(utf8(MANIFEST), null));
        assertDoesNotThrow(() -> ManifestParser.parse(utf8(INDEX), MediaTypes.OCI_INDEX));
    }

    static Stream<Arguments> brokenManifests() {
        return Stream.of(
                // JSON itself
                arguments(cut(MANIFEST, 40), "not valid JSON"),
                arguments("", "must be a JSON object"),
                arguments("[" + MANIFEST + "]", "must be a JSON object"),
                arguments(MANIFEST + " {}", "not valid JSON"),
                arguments(edit(MANIFEST, "{\"schemaVersion\":2,", "{\"schemaVersion\":2,\"schemaVersion\":2,"),
                        "Duplicate field 'schemaVersion'"),
                arguments(edit(MANIFEST, "{\"a\":\"b\"}", "{\"a\":\"b\",\"a\":\"c\"}"), "Duplicate field 'a'"),
                arguments(edit(MANIFEST, "\"k\":\"v\"", "\"k\":\"v\",// comment\n"), "not valid JSON"),
                // schemaVersion and media type
                arguments(edit(MANIFEST, "\"schemaVersion\":2,", ""), "schemaVersion is required"),
                arguments(edit(MANIFEST, "\"schemaVersion\":2", "\"schemaVersion\":3"), "schemaVersion must be 2"),
                arguments(edit(MANIFEST, "\"schemaVersion\":2", "\"schemaVersion\":\"2\""), "schemaVersion must be 2"),
                arguments(edit(MANIFEST, "\"schemaVersion\":2", "\"schemaVersion\":2.0"), "schemaVersion must be 2"),
                arguments(edit(MANIFEST, "\"schemaVersion\":2", "\"schemaVersion\":1"),
                        "unsupported manifest media type: Docker schema 1"),
                arguments(edit(MANIFEST, MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_SCHEMA1_SIGNED),
                        "unsupported manifest media type '" + MediaTypes.DOCKER_SCHEMA1_SIGNED + "'"),
                arguments(edit(MANIFEST, MediaTypes.OCI_MANIFEST, "application/vnd.example.manifest.v1+json"),
                        "unsupported manifest media type 'application/vnd.example.manifest.v1+json'"),
                arguments(edit(MANIFEST, "\"" + MediaTypes.OCI_MANIFEST + "\"", "7"), "mediaType must be a string"),
                arguments(withoutMediaType(MANIFEST), "no mediaType and no Content-Type"),
                // structure
                arguments(edit(MANIFEST, "\"config\":{", "\"cfg\":{"), "config is required"),
                arguments(edit(MANIFEST, "\"layers\":[", "\"lyrs\":["), "layers is required"),
                arguments(edit(MANIFEST, "\"config\":{", "\"config\":null,\"x\":{"), "config is required"),
                arguments(edit(MANIFEST, "\"layers\":[{", "\"layers\":{\"x\":[{").replace("}],", "}]},"),
                        "layers must be an array"),
                arguments(edit(MANIFEST, "\"layers\":[{", "\"layers\":[7,{"), "layers[0] must be an object"),
                arguments(edit(MANIFEST, "\"annotations\":{\"k\"", "\"manifests\":[],\"annotations\":{\"k\""),
                        "an image manifest must not have 'manifests'"),
                arguments(edit(INDEX, "\"manifests\":[", "\"mfsts\":["), "manifests is required"),
                arguments(edit(INDEX, "\"manifests\":[", "\"layers\":[],\"manifests\":["),
                        "an index must not have 'layers'"),
                // descriptors
                arguments(edit(MANIFEST, "\"digest\":\"" + LAYER_DIGEST + "\",", ""), "layers[0].digest is required"),
                arguments(edit(MANIFEST, LAYER_DIGEST, "sha256:e692418e"), "layers[0].digest:"),
                arguments(edit(MANIFEST, LAYER_DIGEST, LAYER_DIGEST.toUpperCase()), "layers[0].digest:"),
                arguments(edit(MANIFEST, CONFIG_DIGEST, "sha512:" + "ab".repeat(64)),
                        "config.digest: unsupported digest algorithm 'sha512'"),
                arguments(edit(MANIFEST, "\"" + LAYER_DIGEST + "\"", "[]"), "layers[0].digest must be a string"),
                arguments(edit(MANIFEST, ",\"size\":32654", ""), "layers[0].size is required"),
                arguments(edit(MANIFEST, "\"size\":32654", "\"size\":-1"), "layers[0].size must be a non-negative"),
                arguments(edit(MANIFEST, "\"size\":32654", "\"size\":1.5"), "layers[0].size must be a non-negative"),
                arguments(edit(MANIFEST, "\"size\":7023", "\"size\":\"7023\""), "config.size must be a non-negative"),
                arguments(edit(MANIFEST, "\"size\":7023", "\"size\":18446744073709551616"),
                        "config.size must be a non-negative"),
                arguments(edit(MANIFEST, "\"size\":7023", "\"size\":null"), "config.size is required"),
                arguments(edit(MANIFEST, "\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",", ""),
                        "layers[0].mediaType is required"),
                arguments(edit(MANIFEST, "application/vnd.oci.image.layer.v1.tar+gzip", "tar-gzip"),
                        "layers[0].mediaType is not a valid media type"),
                arguments(edit(MANIFEST, "{\"a\":\"b\"}", "{\"a\":1}"), "layers[0].annotations.a must be a string"),
                arguments(edit(MANIFEST, "{\"a\":\"b\"}", "{\"a\":null}"), "layers[0].annotations.a must be a string"),
                arguments(edit(MANIFEST, "{\"k\":\"v\"}", "[\"k\"]"), "annotations must be an object"),
                arguments(edit(MANIFEST, "\"annotations\":{\"a\"", "\"urls\":[1],\"annotations\":{\"a\""),
                        "layers[0].urls[0] must be a string"),
                // OCI artifacts, subject and platform
                arguments(edit(MANIFEST, "application/vnd.oci.image.config.v1+json", MediaTypes.OCI_EMPTY),
                        "artifactType is required when config.mediaType is " + MediaTypes.OCI_EMPTY),
                arguments(edit(MANIFEST, "\"config\":", "\"artifactType\":\"not a type\",\"config\":"),
                        "artifactType is not a valid media type"),
                arguments(edit(MANIFEST, "\"config\":", "\"subject\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                        + "\",\"size\":3},\"config\":"), "subject.digest is required"),
                arguments(edit(INDEX, "\"os\":\"linux\"", "\"OS\":\"linux\""), "manifests[0].platform.os is required"),
                arguments(edit(INDEX, "\"amd64\"", "64"), "manifests[0].platform.architecture must be a string"));
    }

    @ParameterizedTest
    @MethodSource("brokenManifests")
    void refusesWithAMessageNamingTheProblem(String body, String expected) {
        var e = assertThrows(ManifestInvalidException.class, () -> ManifestParser.parse(utf8(body), null));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void bodyAndContentTypeMustAgree() {
        var e = assertThrows(ManifestInvalidException.class,
                () -> ManifestParser.parse(utf8(MANIFEST), MediaTypes.DOCKER_MANIFEST));
        assertEquals("manifest mediaType '" + MediaTypes.OCI_MANIFEST + "' does not match Content-Type '"
                + MediaTypes.DOCKER_MANIFEST + "'", e.getMessage());
    }

    @Test
    void unknownContentTypeForABodyWithoutMediaType() {
        var e = assertThrows(ManifestInvalidException.class,
                () -> ManifestParser.parse(utf8(withoutMediaType(MANIFEST)), "application/json"));
        assertEquals("unsupported manifest media type 'application/json'", e.getMessage());
    }

    @Test
    void schema1ContentTypeForABodyWithoutMediaType() {
        var e = assertThrows(ManifestInvalidException.class,
                () -> ManifestParser.parse(utf8(withoutMediaType(MANIFEST)), MediaTypes.DOCKER_SCHEMA1));
        assertTrue(e.getMessage().startsWith("unsupported manifest media type '" + MediaTypes.DOCKER_SCHEMA1),
                e.getMessage());
    }

    @Test
    void dockerManifestsMustNameTheirMediaTypeInTheBody() {
        var e = assertThrows(ManifestInvalidException.class,
                () -> ManifestParser.parse(utf8(withoutMediaType(MANIFEST)), MediaTypes.DOCKER_MANIFEST));
        assertTrue(e.getMessage().contains("must carry mediaType"), e.getMessage());
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        byte[] body = utf8(edit(MANIFEST, "\"v\"", "\"\u00e9\""));
        byte[] latin1 = Arrays.copyOf(body, body.length);
        int at = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("\u00c3\u00a9");
        latin1[at] = (byte) 0xE9; // a lone Latin-1 byte where UTF-8 needs two
        latin1[at + 1] = ' ';

        var e = assertThrows(ManifestInvalidException.class, () -> ManifestParser.parse(latin1, null));
        assertEquals("manifest is not valid UTF-8", e.getMessage());
        assertDoesNotThrow(() -> ManifestParser.parse(body, null));
    }

    @Test
    void refusesAByteOrderMark() {
        byte[] body = utf8("\uFEFF" + MANIFEST);
        var e = assertThrows(ManifestInvalidException.class, () -> ManifestParser.parse(body, null));
        assertTrue(e.getMessage().contains("byte order mark"), e.getMessage());
    }

    @Test
    void echoesHugeValuesOnlyInPart() {
        String huge = "application/vnd." + "x".repeat(1_000_000) + "+json";
        var e = assertThrows(ManifestInvalidException.class,
                () -> ManifestParser.parse(utf8(edit(MANIFEST, MediaTypes.OCI_MANIFEST, huge)), null));
        assertTrue(e.getMessage().startsWith("unsupported manifest media type 'application/vnd.xxx"), e.getMessage());
        assertTrue(e.getMessage().length() < 300, () -> "message length " + e.getMessage().length());
    }

    static String withoutMediaType(String json) {
        return json.replaceFirst("\"mediaType\":\"application/vnd.oci.image.(manifest|index).v1\\+json\",", "");
    }

    /** Replaces the first occurrence, failing loudly if it is missing so no case silently tests the valid base. */
    static String edit(String json, String from, String to) {
        int at = json.indexOf(from);
        if (at < 0) {
            throw new IllegalArgumentException("'" + from + "' not in test document");
        }
        return json.substring(0, at) + to + json.substring(at + from.length());
    }

    private static String cut(String json, int length) {
        return json.substring(0, length);
    }
}
