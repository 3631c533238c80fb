package io.sigil.signature;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * The JSON "simple signing" payload shared by atomic and cosign signatures, parsed as strictly as containers/image
 * does ({@code signature/simple.go}, {@code internal/json.go}): exact key sets, no duplicate keys, no trailing data.
 * Serialisation reproduces Go's {@code json.Marshal} of maps byte for byte.
 */
final class SimpleSigningPayload {

    static final String ATOMIC_TYPE = "atomic container signature";
    static final String COSIGN_TYPE = "cosign container image signature";

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final double TWO_TO_THE_63 = 0x1p63;

    /** What a payload claims. Untrusted until the signature around it has been verified. */
    record UntrustedClaims(String dockerReference, String manifestDigest, String creator, Long timestamp) {
    }

    private SimpleSigningPayload() {
    }

    /**
     * @param expectedType       the required {@code critical.type}
     * @param optionalMayBeNull  cosign writes {@code "optional": null}; atomic signatures must carry an object
     */
    static UntrustedClaims parse(byte[] untrustedJson, String expectedType, boolean optionalMayBeNull) {
        try (JsonParser parser = JSON.createParser(decodeUtf8(untrustedJson))) {
            PayloadReader reader = new PayloadReader(parser, optionalMayBeNull);
            parser.nextToken();
            reader.readTopLevel();
            if (parser.nextToken() != null) {
                throw new SignatureFormatException("payload has data after the closing brace of its JSON object");
            }
            if (!expectedType.equals(reader.type)) {
                throw new SignatureFormatException("unrecognised signature type \"" + reader.type + "\", expected \"" + expectedType + "\"");
            }
            String digestProblem = ManifestDigestSyntax.problemWith(reader.manifestDigest);
            if (digestProblem != null) {
                throw new SignatureFormatException("invalid docker-manifest-digest \"" + reader.manifestDigest + "\": " + digestProblem);
            }
            return new UntrustedClaims(reader.dockerReference, reader.manifestDigest, reader.creator, reader.timestamp);
        } catch (IOException e) {
            throw new SignatureFormatException("payload is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Go's json.Marshal of {@code {critical:{type,image,identity}, optional:{creator?,timestamp?}}}: sorted keys, no spaces. */
    static byte[] serialize(String type, String dockerReference, String manifestDigest, String creator, Long timestamp) {
        StringBuilder json = new StringBuilder(256);
        json.append("{\"critical\":{\"identity\":{\"docker-reference\":");
        GoJson.appendString(json, dockerReference);
        json.append("},\"image\":{\"docker-manifest-digest\":");
        GoJson.appendString(json, manifestDigest);
        json.append("},\"type\":");
        GoJson.appendString(json, type);
        json.append("},\"optional\":{");
        if (creator != null) {
            json.append("\"creator\":");
            GoJson.appendString(json, creator);
        }
        if (timestamp != null) {
            json.append(creator != null ? "," : "").append("\"timestamp\":").append(timestamp.longValue());
        }
        json.append("}}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Go's JSON decoder takes UTF-8 only; Jackson would otherwise guess UTF-16 or UTF-32 from the first bytes. */
    private static String decodeUtf8(byte[] untrustedJson) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(untrustedJson))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SignatureFormatException("payload is not valid UTF-8", e);
        }
    }

    /** Walks the token stream once; each {@code read…} method starts on the value's first token. */
    private static final class PayloadReader {
        private final JsonParser parser;
        private final boolean optionalMayBeNull;
        private String type;
        private String manifestDigest;
        private String dockerReference;
        private String creator;
        private Long timestamp;

        PayloadReader(JsonParser parser, boolean optionalMayBeNull) {
            this.parser = parser;
            this.optionalMayBeNull = optionalMayBeNull;
        }

        void readTopLevel() throws IOException {
            readObjectWithExactKeys("the payload", Set.of("critical", "optional"), key -> {
                if (key.equals("critical")) {
                    readCritical();
                } else {
                    readOptional();
                }
            });
        }

        private void readCritical() throws IOException {
            readObjectWithExactKeys("critical", Set.of("type", "image", "identity"), key -> {
                switch (key) {
                    case "type" -> type = readString("critical.type");
                    case "image" -> readObjectWithExactKeys("critical.image", Set.of("docker-manifest-digest"),
                            k -> manifestDigest = readString("critical.image.docker-manifest-digest"));
                    default -> readObjectWithExactKeys("critical.identity", Set.of("docker-reference"),
                            k -> dockerReference = readString("critical.identity.docker-reference"));
                }
            });
        }

        /** Unknown members of {@code optional} are skipped, as upstream does; known ones must have the right type. */
        private void readOptional() throws IOException {
            if (optionalMayBeNull && parser.currentToken() == JsonToken.VALUE_NULL) {
                return;
            }
            readObject("optional", key -> {
                switch (key) {
                    case "creator" -> creator = readString("optional.creator");
                    case "timestamp" -> timestamp = readIntegralTimestamp();
                    default -> parser.skipChildren();
                }
            });
        }

        private void readObjectWithExactKeys(String where, Set<String> keys, MemberReader memberReader) throws IOException {
            Set<String> seen = readObject(where, key -> {
                if (!keys.contains(key)) {
                    throw new SignatureFormatException("unknown key \"" + key + "\" in " + where);
                }
                memberReader.read(key);
            });
            for (String key : keys) {
                if (!seen.contains(key)) {
                    throw new SignatureFormatException("key \"" + key + "\" missing in " + where);
                }
            }
        }

        private Set<String> readObject(String where, MemberReader memberReader) throws IOException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw new SignatureFormatException(where + " must be a JSON object");
            }
            Set<String> seen = new HashSet<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                if (!seen.add(key)) {
                    throw new SignatureFormatException("duplicate key \"" + key + "\" in " + where);
                }
                parser.nextToken();
                memberReader.read(key);
            }
            return seen;
        }

        private String readString(String where) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                throw new SignatureFormatException(where + " must be a string");
            }
            return parser.getText();
        }

        /** Go decodes into a float64 and then insists that it is a whole number that fits in an int64. */
        private Long readIntegralTimestamp() throws IOException {
            if (!parser.currentToken().isNumeric()) {
                throw new SignatureFormatException("optional.timestamp must be a number");
            }
            double value = parser.getDoubleValue();
            if (!Double.isFinite(value) || value != Math.floor(value) || value < -TWO_TO_THE_63 || value >= TWO_TO_THE_63) {
                throw new SignatureFormatException("optional.timestamp is not an integer");
            }
            return (long) value;
        }
    }

    @FunctionalInterface
    private interface MemberReader {
        void read(String key) throws IOException;
    }
}
