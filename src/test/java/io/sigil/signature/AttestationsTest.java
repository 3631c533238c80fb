package io.sigil.signature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DSSE and in-toto verdicts for the cosign-attestation fixtures (README "Files" and "Negative cases"), the DSSE spec's
 * test vector, and a key-signed image attestation made here with its tampered copies.
 */
class AttestationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NPM_SUBJECT = "sha512:76176ffa33808b54602c7c35de5c6e9a4deb96066dba6533f50ac234f4f1f4c6"
            + "b3527515dc17c06fbe2860030f410eee69ea20079bd3a2c6f3dcf3b329b10751";
    private static final String IMAGE = "sha256:" + "ab".repeat(32);

    private static final PublicKey PUBLISH_KEY = UpstreamFixtures.publicKey("cosign-attestation/publish_key.pub");
    private static final List<Attestations.TrustedPublicKey> TRUSTED =
            List.of(new Attestations.TrustedPublicKey("PUBLISH", PUBLISH_KEY));

    @Test
    void paeMatchesTheSpecTestVector() {
        assertArrayEquals("DSSEv1 29 http://example.com/HelloWorld 11 hello world".getBytes(StandardCharsets.US_ASCII),
                DsseEnvelope.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void specTestVectorVerifiesWithRawEcdsaSignature() throws Exception {
        ECPublicKey template = (ECPublicKey) PUBLISH_KEY;
        PublicKey key = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(
                new BigInteger("46950820868899156662930047687818585632848591499744589407958293238635476079160"),
                new BigInteger("5640078356564379163099075877009565129882514886557779369047442380624545832820")),
                template.getParams()));
        DsseEnvelope envelope = DsseEnvelope.parse(("{\"payload\": \"aGVsbG8gd29ybGQ=\", \"payloadType\": "
                + "\"http://example.com/HelloWorld\", \"signatures\": [{\"sig\": \"A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88Sj"
                + "tR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==\"}]}").getBytes(StandardCharsets.UTF_8));
        assertTrue(envelope.signedBy(key));
        assertEquals(false, envelope.signedBy(PUBLISH_KEY));
    }

    @Test
    void keySignedPublishAttestationIsValidAndRecordsItsPredicateType() throws Exception {
        Check check = Attestations.verify(publishEnvelope().toString().getBytes(StandardCharsets.UTF_8), TRUSTED, NPM_SUBJECT);
        assertEquals(Check.Outcome.VALID, check.outcome(), check.reason());
        assertEquals("PUBLISH", check.keyIdentity());
        assertEquals("https://github.com/npm/attestation/tree/main/specs/publish/v0.1", check.predicateType());
    }

    @Test
    void onePayloadByteChangedFailsTheSignature() throws Exception {
        ObjectNode envelope = publishEnvelope();
        String payload = new String(Base64.getDecoder().decode(envelope.get("payload").asText()), StandardCharsets.UTF_8);
        envelope.put("payload", Base64.getEncoder().encodeToString(payload.replace("76176ffa", "76176ffb")
                .getBytes(StandardCharsets.UTF_8)));
        assertEquals(Check.Outcome.UNKNOWN_KEY, verify(envelope, NPM_SUBJECT.replace("76176ffa", "76176ffb")).outcome());
    }

    @Test
    void payloadTypeIsBoundByThePae() throws Exception {
        ObjectNode envelope = publishEnvelope();
        envelope.put("payloadType", "application/json");
        assertTrue(!DsseEnvelope.parse(envelope.toString().getBytes(StandardCharsets.UTF_8)).signedBy(PUBLISH_KEY));
        assertEquals(Check.Outcome.INVALID, verify(envelope, NPM_SUBJECT).outcome());
    }

    @Test
    void unmodifiedEnvelopeForAnotherSubjectIsInvalid() throws Exception {
        Check check = verify(publishEnvelope(), IMAGE);
        assertEquals(Check.Outcome.INVALID, check.outcome());
        assertTrue(check.reason().contains("does not name manifest"), check.reason());
    }

    @Test
    void anotherKeyDoesNotVerify() throws Exception {
        PublicKey other = UpstreamFixtures.publicKey("containers-image/cosign.pub");
        Check check = Attestations.verify(publishEnvelope().toString().getBytes(StandardCharsets.UTF_8),
                List.of(new Attestations.TrustedPublicKey("OTHER", other)), NPM_SUBJECT);
        assertEquals(Check.Outcome.UNKNOWN_KEY, check.outcome());
    }

    @Test
    void keySignedImageAttestationAndItsTamperedCopy() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("EC").generateKeyPair();
        byte[] envelope = imageAttestation(pair, IMAGE, "https://slsa.dev/provenance/v0.2");
        List<Attestations.TrustedPublicKey> trusted = List.of(new Attestations.TrustedPublicKey("CI", pair.getPublic()));

        Check valid = Attestations.verify(envelope, trusted, IMAGE);
        assertEquals(Check.Outcome.VALID, valid.outcome(), valid.reason());
        assertEquals("https://slsa.dev/provenance/v0.2", valid.predicateType());

        ObjectNode tampered = (ObjectNode) JSON.readTree(envelope);
        String statement = new String(Base64.getDecoder().decode(tampered.get("payload").asText()), StandardCharsets.UTF_8);
        tampered.put("payload", Base64.getEncoder().encodeToString(statement.replace("provenance/v0.2", "provenance/v1")
                .getBytes(StandardCharsets.UTF_8)));
        assertEquals(Check.Outcome.UNKNOWN_KEY, Attestations.verify(JSON.writeValueAsBytes(tampered), trusted, IMAGE).outcome());
        assertEquals(Check.Outcome.INVALID, Attestations.verify("not json".getBytes(StandardCharsets.UTF_8), trusted, IMAGE).outcome());
    }

    static byte[] imageAttestation(KeyPair pair, String imageDigest, String predicateType) {
        return io.sigil.testing.TestAttestations.envelope(pair, imageDigest, predicateType);
    }

    private static Check verify(ObjectNode envelope, String digest) {
        return Attestations.verify(envelope.toString().getBytes(StandardCharsets.UTF_8), TRUSTED, digest);
    }

    private static ObjectNode publishEnvelope() throws Exception {
        return (ObjectNode) JSON.readTree(UpstreamFixtures.read("cosign-attestation/bundle-publish.json")).get("dsseEnvelope");
    }
}
