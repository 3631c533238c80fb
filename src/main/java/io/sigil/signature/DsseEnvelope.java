package io.sigil.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A DSSE envelope ({@code application/vnd.dsse.envelope.v1+json}, secure-systems-lab/dsse protocol 1.0): a payload,
 * its type and signatures over {@link #pae PAE(type, payload)}. Key IDs are unauthenticated hints and are ignored.
 * Callers must use {@link #payload} of the envelope they verified, never parse the bytes again.
 */
public record DsseEnvelope(String payloadType, byte[] payload, List<byte[]> signatures) {

    public static final String MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";
    public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public DsseEnvelope {
        signatures = List.copyOf(signatures);
    }

    /** Parses the envelope JSON (member order and extra members do not matter); payload and signatures are base64. */
    public static DsseEnvelope parse(byte[] untrustedJson) {
        JsonNode root;
        try {
            root = JSON.readTree(untrustedJson);
        } catch (IOException e) {
            throw new SignatureFormatError("the DSSE envelope is not JSON: " + e.getMessage());
        }
        return of(root);
    }

    /** The envelope in a parsed JSON tree (a Sigstore bundle's {@code dsseEnvelope} member). */
    public static DsseEnvelope of(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new SignatureFormatError("the DSSE envelope is not a JSON object");
        }
        String type = text(root, "payloadType");
        byte[] payload = base64(text(root, "payload"), "payload");
        JsonNode sigs = root.path("signatures");
        if (!sigs.isArray() || sigs.isEmpty()) {
            throw new SignatureFormatError("the DSSE envelope has no signatures");
        }
        List<byte[]> signatures = new ArrayList<>();
        for (JsonNode sig : sigs) {
            signatures.add(base64(text(sig, "sig"), "sig"));
        }
        return new DsseEnvelope(type, payload, signatures);
    }

    /** {@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, lengths as ASCII decimal byte counts. */
    public static byte[] pae(String payloadType, byte[] body) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + type.length + 32);
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(type);
        out.writeBytes((" " + body.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Whether one of the signatures verifies over the PAE with {@code key}. */
    public boolean signedBy(PublicKey key) {
        byte[] signed = pae(payloadType, payload);
        return signatures.stream().anyMatch(sig -> PublicKeySignatures.verifies(key, signed, sig));
    }

    /** The first trusted key one of the signatures verifies with. */
    public <K> Optional<K> signer(List<K> candidates, java.util.function.Function<K, PublicKey> keyOf) {
        return candidates.stream().filter(k -> signedBy(keyOf.apply(k))).findFirst();
    }

    public boolean isInToto() {
        return IN_TOTO_PAYLOAD_TYPE.equals(payloadType);
    }

    private static String text(JsonNode node, String member) {
        JsonNode value = node.get(member);
        if (value == null || !value.isTextual()) {
            throw new SignatureFormatError("the DSSE envelope's " + member + " is missing or not a string");
        }
        return value.asText();
    }

    /** The DSSE spec requires accepting both standard and URL-safe base64. */
    private static byte[] base64(String text, String member) {
        try {
            return text.indexOf('-') >= 0 || text.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(text)
                    : Base64.getMimeDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new SignatureFormatError("the DSSE envelope's " + member + " is not base64");
        }
    }
}
