package io.sigil.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How Sigil keeps a Notary Project signature as a signature unit: the envelope bytes unchanged, its layer media type
 * (JWS or COSE, or whatever the layer claimed), and the media type and size of the manifest it is attached to, read
 * from Sigil's own copy of that manifest when it was stored, so verification can compare the signed
 * {@code targetArtifact} with the real descriptor. Stored as {@code 0x00 "notation" LF} then JSON, the framing
 * containers/image uses for non-OpenPGP signature blobs.
 */
public record StoredNotarySignature(String envelopeMediaType, String targetMediaType, long targetSize, byte[] envelope) {

    public static final String ARTIFACT_TYPE = "application/vnd.cncf.notary.signature";
    private static final byte[] PREFIX = "\0notation\n".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    public byte[] toBytes() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mediaType", envelopeMediaType);
        json.put("targetMediaType", targetMediaType);
        json.put("targetSize", targetSize);
        json.put("envelope", Base64.getEncoder().encodeToString(envelope));
        try {
            byte[] body = JSON.writeValueAsBytes(json);
            byte[] all = Arrays.copyOf(PREFIX, PREFIX.length + body.length);
            System.arraycopy(body, 0, all, PREFIX.length, body.length);
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static StoredNotarySignature parse(byte[] stored) {
        if (stored.length < PREFIX.length || !Arrays.equals(stored, 0, PREFIX.length, PREFIX, 0, PREFIX.length)) {
            throw new SignatureFormatError("not a stored Notary Project signature");
        }
        try {
            JsonNode json = JSON.readTree(Arrays.copyOfRange(stored, PREFIX.length, stored.length));
            return new StoredNotarySignature(json.path("mediaType").asText(), json.path("targetMediaType").asText(),
                    json.path("targetSize").asLong(), Base64.getDecoder().decode(json.path("envelope").asText()));
        } catch (IOException | IllegalArgumentException e) {
            throw new SignatureFormatError("a stored Notary Project signature does not parse: " + e.getMessage());
        }
    }

    public NotarySignatures.Target target(String manifestDigest) {
        return new NotarySignatures.Target(targetMediaType, manifestDigest, targetSize);
    }
}
