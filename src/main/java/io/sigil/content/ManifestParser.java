package io.sigil.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sigil.storage.Digest;
import io.sigil.storage.InvalidDigestException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses and validates Docker schema 2 and OCI manifests and indexes. The bytes are only read, never re-serialised:
 * the digest is the sha256 of exactly what was received, as clients and signatures expect.
 */
public final class ManifestParser {

    /** containers/image reads at most 4 MiB of manifest; anything larger could never be pulled. */
    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** RFC 6838 type/subtype, optionally followed by parameters (older sigstore bundle types carry one). */
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(;.*)?");

    private ManifestParser() {
    }

    /**
     * @param declaredMediaType the Content-Type the manifest came with (parameters ignored), or null
     * @throws ManifestTooLargeException over {@link #MAX_MANIFEST_BYTES}
     * @throws ManifestInvalidException naming the first problem found
     */
    public static ParsedManifest parse(byte[] bytes, String declaredMediaType) {
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw new ManifestTooLargeException(bytes.length, MAX_MANIFEST_BYTES);
        }
        Node root = new Node(readObject(bytes), "");
        if (isInteger(root.json.get("schemaVersion"), 1)) {
            throw invalid("unsupported manifest media type: Docker schema 1 (schemaVersion 1) is not supported");
        }
        String mediaType = effectiveMediaType(root, declaredMediaType);
        root.requireSchemaVersion2();
        Digest digest = Digest.sha256Of(bytes);
        return MediaTypes.isIndex(mediaType)
                ? index(root, mediaType, digest, bytes.length)
                : imageManifest(root, mediaType, digest, bytes.length);
    }

    private static JsonNode readObject(byte[] bytes) {
        String text = strictUtf8(bytes);
        if (text.startsWith("\uFEFF")) {
            throw invalid("manifest starts with a byte order mark, which JSON does not allow");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw invalid("manifest is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid("manifest must be a JSON object");
        }
        return root;
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw invalid("manifest is not valid UTF-8");
        }
    }

    /** The body's mediaType wins; the Content-Type stands in only when the body has none (allowed for OCI). */
    private static String effectiveMediaType(Node root, String declaredMediaType) {
        String body = root.optionalText("mediaType");
        String declared = withoutParameters(declaredMediaType);
        if (body != null && declared != null && !body.equals(declared)) {
            throw invalid("manifest mediaType '" + shown(body) + "' does not match Content-Type '"
                    + shown(declared) + "'");
        }
        String effective = body != null ? body : declared;
        requireSupported(effective);
        if (body == null && MediaTypes.isDocker(effective)) {
            throw invalid("a Docker manifest must carry mediaType '" + effective + "' in its body");
        }
        return effective;
    }

    private static void requireSupported(String mediaType) {
        if (mediaType == null) {
            throw invalid("manifest has no mediaType and no Content-Type was given");
        }
        if (MediaTypes.isSchema1(mediaType)) {
            throw invalid("unsupported manifest media type '" + mediaType + "': Docker schema 1 is not supported");
        }
        if (!MediaTypes.isSupportedManifest(mediaType)) {
            throw invalid("unsupported manifest media type '" + shown(mediaType) + "'");
        }
    }

    private static String withoutParameters(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String bare = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return bare.isEmpty() ? null : bare.toLowerCase(Locale.ROOT);
    }

    private static ParsedManifest imageManifest(Node root, String mediaType, Digest digest, long size) {
        root.forbid("manifests", "an image manifest");
        boolean oci = !MediaTypes.isDocker(mediaType);
        Descriptor config = root.required("config").descriptor();
        List<Descriptor> layers = root.requiredArray("layers").stream().map(Node::descriptor).toList();
        String artifactType = oci ? root.optionalMediaType("artifactType") : null;
        if (artifactType == null && MediaTypes.OCI_EMPTY.equals(config.mediaType())) {
            throw invalid("artifactType is required when config.mediaType is " + MediaTypes.OCI_EMPTY);
        }
        return new ParsedManifest(digest, size, mediaType, 2, ManifestKind.of(artifactType, config, layers),
                config, layers, List.of(), oci ? root.optionalDescriptor("subject") : null, artifactType,
                root.stringMap("annotations"));
    }

    private static ParsedManifest index(Node root, String mediaType, Digest digest, long size) {
        root.forbid("config", "an index");
        root.forbid("layers", "an index");
        boolean oci = !MediaTypes.isDocker(mediaType);
        List<Descriptor> children = root.requiredArray("manifests").stream().map(Node::descriptor).toList();
        return new ParsedManifest(digest, size, mediaType, 2, ManifestKind.INDEX, null, List.of(), children,
                oci ? root.optionalDescriptor("subject") : null, oci ? root.optionalMediaType("artifactType") : null,
                root.stringMap("annotations"));
    }

    private static boolean isInteger(JsonNode node, long value) {
        return node != null && node.isIntegralNumber() && node.canConvertToLong() && node.longValue() == value;
    }

    /** A value for an error message, cut short: messages go back to the client and into logs. */
    private static String shown(Object value) {
        String text = String.valueOf(value);
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private static ManifestInvalidException invalid(String message) {
        // Paths can hold client-chosen keys too, so the whole message is bounded as well.
        return new ManifestInvalidException(message.length() <= 1000 ? message : message.substring(0, 1000) + "...");
    }

    /** A JSON value and its path in the manifest, so every message can say where the problem is. */
    private record Node(JsonNode json, String path) {

        private Node child(String field) {
            return new Node(json.get(field), path.isEmpty() ? field : path + "." + field);
        }

        private boolean absent() {
            // Go's encoding/json, which wrote most manifests, treats null like a missing member.
            return json == null || json.isNull();
        }

        private Node required(String field) {
            Node child = child(field);
            if (child.absent()) {
                throw invalid(child.path + " is required");
            }
            return child;
        }

        private void forbid(String field, String what) {
            if (!child(field).absent()) {
                throw invalid(what + " must not have '" + field + "'");
            }
        }

        private void requireSchemaVersion2() {
            JsonNode version = required("schemaVersion").json;
            if (!isInteger(version, 2)) {
                throw invalid("schemaVersion must be 2, got " + shown(version));
            }
        }

        private String optionalText(String field) {
            Node child = child(field);
            return child.absent() ? null : child.text();
        }

        private String requiredText(String field) {
            return required(field).text();
        }

        private String optionalMediaType(String field) {
            Node child = child(field);
            return child.absent() ? null : child.mediaType();
        }

        private String mediaType() {
            String value = text();
            if (!MEDIA_TYPE.matcher(value).matches()) {
                throw invalid(path + " is not a valid media type: '" + shown(value) + "'");
            }
            return value;
        }

        private List<Node> requiredArray(String field) {
            return required(field).elements();
        }

        private List<Node> elements() {
            if (!json.isArray()) {
                throw invalid(path + " must be an array, got " + shown(json));
            }
            List<Node> elements = new ArrayList<>();
            for (int i = 0; i < json.size(); i++) {
                elements.add(new Node(json.get(i), path + "[" + i + "]"));
            }
            return elements;
        }

        private Node object() {
            if (!json.isObject()) {
                throw invalid(path + " must be an object, got " + shown(json));
            }
            return this;
        }

        private Descriptor optionalDescriptor(String field) {
            Node child = child(field);
            return child.absent() ? null : child.descriptor();
        }

        private Descriptor descriptor() {
            object();
            return new Descriptor(required("mediaType").mediaType(), digest(), size(),
                    optionalMediaType("artifactType"), stringMap("annotations"), stringList("urls"), platform());
        }

        private Digest digest() {
            Node node = required("digest");
            try {
                return Digest.parse(node.text());
            } catch (InvalidDigestException e) {
                throw invalid(node.path + ": " + shown(e.getMessage()));
            }
        }

        private long size() {
            Node node = required("size");
            if (!node.json.isIntegralNumber() || !node.json.canConvertToLong() || node.json.longValue() < 0) {
                throw invalid(node.path + " must be a non-negative integer, got " + shown(node.json));
            }
            return node.json.longValue();
        }

        private Platform platform() {
            Node node = child("platform");
            if (node.absent()) {
                return null;
            }
            node.object();
            return new Platform(node.requiredText("architecture"), node.requiredText("os"),
                    node.optionalText("os.version"), node.stringList("os.features"), node.optionalText("variant"),
                    node.stringList("features"));
        }

        private Map<String, String> stringMap(String field) {
            Node node = child(field);
            Map<String, String> map = new LinkedHashMap<>();
            if (!node.absent()) {
                node.object().json.fieldNames().forEachRemaining(key -> map.put(key, node.child(key).text()));
            }
            return map;
        }

        private List<String> stringList(String field) {
            Node node = child(field);
            if (node.absent()) {
                return List.of();
            }
            return node.elements().stream().map(Node::text).toList();
        }

        private String text() {
            if (!json.isTextual()) {
                throw invalid(path + " must be a string, got " + shown(json));
            }
            return json.textValue();
        }
    }
}
