package io.sigil.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Key-based cosign (sigstore) signatures (signature-formats.md §4): a simple-signing payload, signed with SHA-256
 * by an ECDSA or RSA (PKCS#1 v1.5) key, the base64 DER signature in a layer annotation.
 */
public final class CosignSignatures {

    public static final String SIMPLE_SIGNING_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";

    private static final byte[] SIGSTORE_JSON_PREFIX = "\0sigstore-json\n".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    private CosignSignatures() {
    }

    /**
     * Reads containers/image's storage form of a sigstore signature (as in {@code dir:} images and lookasides):
     * {@code 0x00 "sigstore-json" '\n'} followed by {@code {"mimeType":…,"payload":"<base64>","annotations":{…}}}.
     *
     * @throws SignatureFormatException if the blob is not in that form
     */
    public static UntrustedCosignSignature fromStorageForm(byte[] untrustedBlob) {
        if (untrustedBlob.length < SIGSTORE_JSON_PREFIX.length
                || !Arrays.equals(untrustedBlob, 0, SIGSTORE_JSON_PREFIX.length, SIGSTORE_JSON_PREFIX, 0, SIGSTORE_JSON_PREFIX.length)) {
            throw new SignatureFormatException("not a sigstore-json signature: it must start with 0x00 \"sigstore-json\" and a newline");
        }
        JsonNode json;
        try {
            json = JSON.readTree(Arrays.copyOfRange(untrustedBlob, SIGSTORE_JSON_PREFIX.length, untrustedBlob.length));
        } catch (IOException e) {
            throw new SignatureFormatException("sigstore-json signature is not valid JSON: " + e.getMessage(), e);
        }
        if (json == null || !json.isObject() || !json.path("mimeType").isTextual() || !json.path("payload").isTextual()) {
            throw new SignatureFormatException("sigstore-json signature needs a string mimeType and a base64 payload");
        }
        return new UntrustedCosignSignature(json.get("mimeType").asText(),
                decodeBase64(json.get("payload").asText(), "payload"), annotations(json.path("annotations")));
    }

    /**
     * The inverse of {@link #fromStorageForm}, as containers/image writes it: fields in Go struct order, annotations
     * with sorted keys, standard base64 payload.
     */
    public static byte[] toStorageForm(UntrustedCosignSignature signature) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mimeType", signature.mediaType());
        json.put("payload", Base64.getEncoder().encodeToString(signature.payload()));
        json.put("annotations", new TreeMap<>(signature.annotations()));
        try {
            byte[] body = JSON.writeValueAsBytes(json);
            byte[] blob = Arrays.copyOf(SIGSTORE_JSON_PREFIX, SIGSTORE_JSON_PREFIX.length + body.length);
            System.arraycopy(body, 0, blob, SIGSTORE_JSON_PREFIX.length, body.length);
            return blob;
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a map of strings", e);
        }
    }

    /**
     * The simple-signing payload a cosign signature signs, byte-identical to what containers/image writes.
     *
     * @param creator          null to omit
     * @param timestampSeconds null to omit
     */
    public static byte[] payload(String dockerReference, String manifestDigest, String creator, Long timestampSeconds) {
        return SimpleSigningPayload.serialize(SimpleSigningPayload.COSIGN_TYPE, dockerReference, manifestDigest, creator,
                timestampSeconds);
    }

    /**
     * Parses a payload strictly, WITHOUT verifying anything.
     *
     * @throws SignatureFormatException naming the problem
     */
    public static UntrustedCosignPayload parsePayload(byte[] untrustedPayload) {
        SimpleSigningPayload.UntrustedClaims claims =
                SimpleSigningPayload.parse(untrustedPayload, SimpleSigningPayload.COSIGN_TYPE, true);
        return new UntrustedCosignPayload(claims.dockerReference(), claims.manifestDigest(), claims.creator(), claims.timestamp());
    }

    /**
     * Reads a PEM public key ({@code -----BEGIN PUBLIC KEY-----}, as {@code cosign.pub}).
     *
     * @throws IllegalArgumentException if it is not an ECDSA or RSA public key
     */
    public static PublicKey parsePublicKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (!(object instanceof SubjectPublicKeyInfo keyInfo)) {
                throw new IllegalArgumentException("not a PEM public key");
            }
            PublicKey key = new JcaPEMKeyConverter().getPublicKey(keyInfo);
            if (!(key instanceof ECPublicKey) && !(key instanceof RSAPublicKey)) {
                throw new IllegalArgumentException("unsupported public key algorithm " + key.getAlgorithm() + "; use ECDSA or RSA");
            }
            return key;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a PEM public key: " + e.getMessage(), e);
        }
    }

    /**
     * Verifies a cosign signature layer against plain public keys: a simple-signing layer whose signature annotation
     * verifies over the exact payload bytes with one of {@code trustedKeys}; only then is the payload parsed and its
     * manifest digest compared with {@code expectedManifestDigest}. The signed identity is left to
     * {@link Verdict#requireIdentity}. Callers should skip layers that are not
     * {@linkplain UntrustedCosignSignature#isSimpleSigning() signatures}.
     */
    public static Verdict verify(UntrustedCosignSignature untrustedSignature, List<PublicKey> trustedKeys,
                                 String expectedManifestDigest) {
        return verify(untrustedSignature, CosignTrust.ofKeys(trustedKeys), expectedManifestDigest);
    }

    /** As {@link #verify(UntrustedCosignSignature, List, String)}, with keys, Rekor logs, Fulcio and PKI CAs. */
    public static Verdict verify(UntrustedCosignSignature untrustedSignature, CosignTrust trust, String expectedManifestDigest) {
        if (!untrustedSignature.isSimpleSigning()) {
            return Verdict.invalid(null, "not a cosign signature: media type " + untrustedSignature.mediaType());
        }
        String base64Signature = untrustedSignature.annotations().get(SIGNATURE_ANNOTATION);
        if (base64Signature == null) {
            return Verdict.invalid(null, "missing annotation " + SIGNATURE_ANNOTATION);
        }
        byte[] signature;
        try {
            signature = decodeBase64(base64Signature, SIGNATURE_ANNOTATION);
        } catch (SignatureFormatException e) {
            return Verdict.invalid(null, e.getMessage());
        }
        return trust.verify(untrustedSignature, signature, expectedManifestDigest);
    }

    /**
     * Whether the signature annotation verifies with {@code key} over the payload: the layer was made by that key,
     * whatever its payload claims. Invalidation asks this; acceptance needs {@link #verify}.
     */
    public static boolean signedBy(UntrustedCosignSignature untrustedSignature, PublicKey key) {
        String base64Signature = untrustedSignature.annotations().get(SIGNATURE_ANNOTATION);
        if (base64Signature == null) {
            return false;
        }
        try {
            return verifiesWith(key, untrustedSignature.payload(), decodeBase64(base64Signature, SIGNATURE_ANNOTATION));
        } catch (SignatureFormatException e) {
            return false;
        }
    }

    /** Upper-case hex SHA-256 of the key's DER SubjectPublicKeyInfo: a stable name for a key that has no other. */
    public static String keyIdentity(PublicKey key) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** SHA-256 with ECDSA (DER) or RSA PKCS#1 v1.5, the only schemes containers/image accepts for cosign. */
    static boolean verifiesWith(PublicKey key, byte[] payload, byte[] signature) {
        String algorithm = key instanceof ECPublicKey ? "SHA256withECDSA" : key instanceof RSAPublicKey ? "SHA256withRSA" : null;
        if (algorithm == null) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(key);
            verifier.update(payload);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // Malformed DER, wrong length: not a signature by this key.
        }
    }

    /**
     * The payload of a signature made by a trusted key: well-formed and for the expected manifest.
     *
     * @param signer who the certificate names, for certificate-based signatures; null for plain keys
     */
    static Verdict checkPayload(byte[] payload, String keyIdentity, String expectedManifestDigest, String signer) {
        UntrustedCosignPayload claims;
        try {
            claims = parsePayload(payload);
        } catch (SignatureFormatException e) {
            return Verdict.invalid(keyIdentity, "invalid signature payload: " + e.getMessage());
        }
        if (!claims.manifestDigest().equals(expectedManifestDigest)) {
            return Verdict.invalid(keyIdentity, AtomicSignatures.digestMismatch(claims.manifestDigest(), expectedManifestDigest));
        }
        return signer == null ? Verdict.valid(keyIdentity, claims.dockerReference())
                : Verdict.validCertified(keyIdentity, signer, claims.dockerReference());
    }

    /**
     * Standard base64 with padding, ignoring line breaks as Go's decoder does (the PKI fixture's annotation has
     * them). Anything else that is not base64 is an error, unlike Java's MIME decoder, which skips it silently.
     */
    static byte[] decodeBase64(String untrustedBase64, String what) {
        String compact = untrustedBase64.replace("\r", "").replace("\n", "");
        try {
            if (compact.length() % 4 != 0) {
                throw new IllegalArgumentException("length is not a multiple of 4");
            }
            return Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new SignatureFormatException(what + " is not valid base64: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> annotations(JsonNode untrustedAnnotations) {
        if (untrustedAnnotations.isMissingNode() || untrustedAnnotations.isNull()) {
            return Map.of();
        }
        if (!untrustedAnnotations.isObject()) {
            throw new SignatureFormatException("sigstore-json annotations must be an object");
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : untrustedAnnotations.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new SignatureFormatException("sigstore-json annotation " + entry.getKey() + " must be a string");
            }
            annotations.put(entry.getKey(), entry.getValue().asText());
        }
        return annotations;
    }
}
