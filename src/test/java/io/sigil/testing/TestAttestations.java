package io.sigil.testing;

import io.sigil.signature.DsseEnvelope;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;

/** cosign-style attestations made by the suite: DSSE envelopes with an in-toto Statement, signed with a test key. */
public final class TestAttestations {

    private TestAttestations() {
    }

    public static KeyPair newKey() {
        try {
            return KeyPairGenerator.getInstance("EC").generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String publicKeyPem(KeyPair pair) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** Statement v0.1 with one subject naming {@code imageDigest} by sha256, DER ECDSA over the PAE, as cosign attest writes. */
    public static byte[] envelope(KeyPair pair, String imageDigest, String predicateType) {
        String statement = "{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":\"" + predicateType
                + "\",\"subject\":[{\"name\":\"localhost/test\",\"digest\":{\"sha256\":\"" + imageDigest.substring(7)
                + "\"}}],\"predicate\":{}}";
        byte[] payload = statement.getBytes(StandardCharsets.UTF_8);
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(pair.getPrivate());
            signer.update(DsseEnvelope.pae(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, payload));
            return ("{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"" + Base64.getEncoder().encodeToString(payload)
                    + "\",\"signatures\":[{\"keyid\":\"\",\"sig\":\"" + Base64.getEncoder().encodeToString(signer.sign()) + "\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The envelope with its Statement's predicate type changed after signing. */
    public static byte[] tampered(byte[] envelope, String from, String to) {
        String json = new String(envelope, StandardCharsets.UTF_8);
        String payload = json.replaceAll("(?s).*\"payload\":\"([^\"]+)\".*", "$1");
        String statement = new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8).replace(from, to);
        return json.replace(payload, Base64.getEncoder().encodeToString(statement.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8);
    }
}
