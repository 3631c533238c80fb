package io.sigil.signature;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstore.json.canonicalizer.JsonCanonicalizer;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Rekor signed entry timestamp as cosign stores it in the {@code dev.sigstore.cosign/bundle} annotation:
 * {@code {"SignedEntryTimestamp":<base64>,"Payload":{"body","integratedTime","logIndex","logID"}}}. Verified as
 * containers/image's {@code VerifyRekorSET} does: the ECDSA signature over the RFC 8785 canonical JSON of Payload
 * (canonicalised with sigstore-java's canonicaliser), then the hashedrekord body must name the same signature, public
 * key or certificate, and payload hash. Rekor inclusion proofs are not part of this format, which is why
 * sigstore-java's RekorVerifier, which requires one, is not used.
 */
final class RekorSet {

    static final String ANNOTATION = "dev.sigstore.cosign/bundle";
    private static final String HASHEDREKORD_V001 = "0.0.1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private RekorSet() {
    }

    /**
     * Verifies the SET and returns its integratedTime.
     *
     * @param expectedKeyOrCertDer the DER of the signer's public key (key-based) or leaf certificate (Fulcio)
     * @param signature            the decoded signature annotation
     * @param payload              the exact payload bytes
     * @throws InvalidSignatureException naming the first check that fails
     */
    static Instant verify(ECPublicKey rekorKey, String untrustedSet, byte[] expectedKeyOrCertDer, byte[] signature,
                          byte[] payload) {
        if (untrustedSet == null) {
            throw new InvalidSignatureException("missing " + ANNOTATION + " annotation");
        }
        JsonNode set = exactObject(parse(untrustedSet.getBytes(java.nio.charset.StandardCharsets.UTF_8), "Rekor SET"),
                "Rekor SET", "SignedEntryTimestamp", "Payload");
        byte[] setSignature = base64(set.get("SignedEntryTimestamp"), "SignedEntryTimestamp");
        byte[] canonicalPayload = canonical(set.get("Payload"));
        if (!verifiesEcdsa(rekorKey, canonicalPayload, setSignature)) {
            throw new InvalidSignatureException("cryptographic signature verification of Rekor SET failed");
        }
        // Parse the canonical bytes that were verified, not the text as delivered.
        JsonNode entry = exactObject(parse(canonicalPayload, "Rekor SET payload"), "Rekor SET payload",
                "body", "integratedTime", "logIndex", "logID");
        long integratedTime = integer(entry.get("integratedTime"), "integratedTime");
        integer(entry.get("logIndex"), "logIndex");
        if (!entry.get("logID").isTextual()) {
            throw new InvalidSignatureException("parsing Rekor SET payload: logID must be a string");
        }
        requireBodyMatches(base64(entry.get("body"), "body"), expectedKeyOrCertDer, signature, payload);
        return Instant.ofEpochSecond(integratedTime);
    }

    /** The hashedrekord v0.0.1 body must record this signer, this signature and this payload's SHA-256. */
    private static void requireBodyMatches(byte[] body, byte[] expectedKeyOrCertDer, byte[] signature, byte[] payload) {
        JsonNode rekord = parse(body, "the body of a Rekor SET payload");
        if (!"hashedrekord".equals(rekord.path("kind").asText(null))) {
            throw new InvalidSignatureException("decoding the body of a Rekor SET payload: invalid kind value: "
                    + rekord.path("kind"));
        }
        if (!rekord.path("apiVersion").isTextual()) {
            throw new InvalidSignatureException("missing Rekor SET Payload API version");
        }
        if (!HASHEDREKORD_V001.equals(rekord.get("apiVersion").asText())) {
            throw new InvalidSignatureException("unsupported Rekor SET Payload hashedrekord version \""
                    + rekord.get("apiVersion").asText() + "\"");
        }
        JsonNode spec = rekord.path("spec");
        JsonNode signatureNode = required(spec, "signature");
        JsonNode publicKey = required(signatureNode, "publicKey", "signature.publicKey");
        byte[] recordedKey = SigningCertificates.singlePemBlock(base64(publicKey.path("content"), "signature.publicKey.content"),
                "publicKey in Rekor SET");
        if (!Arrays.equals(recordedKey, expectedKeyOrCertDer)) {
            throw new InvalidSignatureException("publicKey in Rekor SET does not match");
        }
        if (!Arrays.equals(base64(signatureNode.path("content"), "signature.content"), signature)) {
            throw new InvalidSignatureException("signature in Rekor SET does not match");
        }
        JsonNode hash = required(required(spec, "data"), "hash", "data.hash");
        String algorithm = required(hash, "algorithm", "data.hash.algorithm").asText();
        if (!"sha256".equals(algorithm)) {
            throw new InvalidSignatureException("Unexpected \"data.hash.algorithm\" value \"" + algorithm + "\"");
        }
        byte[] recordedHash;
        try {
            recordedHash = HexFormat.of().parseHex(required(hash, "value", "data.hash.value").asText());
        } catch (IllegalArgumentException e) {
            throw new InvalidSignatureException("Invalid \"data.hash.value\" field in hashedrekord: " + e.getMessage());
        }
        if (!Arrays.equals(recordedHash, sha256(payload))) {
            throw new InvalidSignatureException("payload in Rekor SET does not match");
        }
    }

    private static JsonNode parse(byte[] json, String what) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null) {
                throw new InvalidSignatureException(what + " is empty");
            }
            return node;
        } catch (IOException e) {
            throw new InvalidSignatureException(what + " is not valid JSON: " + e.getMessage());
        }
    }

    /** containers/image's ParanoidUnmarshalJSONObjectExactFields: an object with exactly these members. */
    private static JsonNode exactObject(JsonNode node, String what, String... fields) {
        if (!node.isObject()) {
            throw new InvalidSignatureException(what + " is not a JSON object");
        }
        Set<String> present = new TreeSet<>();
        node.fieldNames().forEachRemaining(present::add);
        Set<String> expected = new TreeSet<>(Arrays.asList(fields));
        if (!present.equals(expected)) {
            throw new InvalidSignatureException(what + " must have exactly the members " + expected + ", not " + present);
        }
        return node;
    }

    private static JsonNode required(JsonNode parent, String field) {
        return required(parent, field, field);
    }

    private static JsonNode required(JsonNode parent, String field, String path) {
        JsonNode child = parent.path(field);
        if (child.isMissingNode() || child.isNull()) {
            throw new InvalidSignatureException("Missing \"" + path + "\" field in hashedrekord");
        }
        return child;
    }

    private static byte[] base64(JsonNode node, String field) {
        if (!node.isTextual()) {
            throw new InvalidSignatureException("Rekor SET field " + field + " must be a base64 string");
        }
        return CosignSignatures.decodeBase64(node.asText(), "Rekor SET field " + field);
    }

    private static long integer(JsonNode node, String field) {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new InvalidSignatureException("parsing Rekor SET payload: " + field + " must be a 64-bit integer");
        }
        return node.longValue();
    }

    private static byte[] canonical(JsonNode payload) {
        try {
            return new JsonCanonicalizer(JSON.writeValueAsBytes(payload)).getEncodedUTF8();
        } catch (IOException | RuntimeException e) {
            throw new InvalidSignatureException("canonicalizing Rekor SET JSON: " + e.getMessage());
        }
    }

    private static boolean verifiesEcdsa(ECPublicKey key, byte[] data, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // Malformed DER: not a signature by this key.
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
