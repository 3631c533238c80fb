package io.sigil.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every envelope of the notation fixtures gets the verdict its README states upstream expects, at each level. */
class NotarySignaturesTest {

    private static final String E2E = "notation/notation-cli-e2e/";
    private static final String GO = "notation/notation-go/";
    private static final NotarySignatures.Target E2E_IMAGE = new NotarySignatures.Target(
            "application/vnd.oci.image.manifest.v1+json",
            "sha256:b8479de3f88fb259a0a9ea82a5b2a052a1ef3c4ebbcfc61482d5ae4c831f8af9", 517);
    private static final NotarySignatures.Target NET_MONITOR = new NotarySignatures.Target(
            "application/vnd.docker.distribution.manifest.v2+json",
            "sha256:60043cf45eaebc4c0867fea485a039b598f52fd09fd5b07b0b2d2f88fad9d74e", 528);
    private static final NotarySignatures.Target ALPINE = new NotarySignatures.Target(
            "application/vnd.oci.image.manifest.v1+json",
            "sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0", 481);
    private static final String E2E_SUBJECT = "x509.subject: CN=e2e,O=Notary,L=Seattle,ST=WA,C=US";
    private static final String NOTATION_ROOT_SUBJECT = "x509.subject:CN=Notation Test Root,O=Notary,L=Seattle,ST=WA,C=US";

    @Test
    void e2eValidSignature() {
        byte[] envelope = e2eEnvelope("e2e-valid-signature", "c9af07e038b2b1a463e648986ad7273157511ffeba0b689f33e5472bae471f50");
        for (NotaryTrust.Level level : NotaryTrust.Level.values()) {
            assertOutcome(Check.Outcome.VALID, jws(envelope, E2E_IMAGE, trust("e2e.crt", "*", level)));
        }
        assertOutcome(Check.Outcome.VALID, jws(envelope, E2E_IMAGE, trust("e2e.crt", E2E_SUBJECT, NotaryTrust.Level.STRICT)));
        Check wrongIdentity = jws(envelope, E2E_IMAGE, trust("e2e.crt", E2E_SUBJECT.replace("C=US", "C=USB"), NotaryTrust.Level.STRICT));
        assertOutcome(Check.Outcome.INVALID, wrongIdentity);
        assertTrue(wrongIdentity.reason().contains("does not match the X.509 trusted identities"), wrongIdentity.reason());
        // Untrusted root: strict and permissive fail authenticity, audit only logs it.
        assertOutcome(Check.Outcome.UNKNOWN_KEY, jws(envelope, E2E_IMAGE, trust("new_e2e.crt", "*", NotaryTrust.Level.STRICT)));
        assertOutcome(Check.Outcome.UNKNOWN_KEY, jws(envelope, E2E_IMAGE, trust("new_e2e.crt", "*", NotaryTrust.Level.PERMISSIVE)));
        Check audit = jws(envelope, E2E_IMAGE, trust("new_e2e.crt", "*", NotaryTrust.Level.AUDIT));
        assertOutcome(Check.Outcome.VALID, audit);
        assertTrue(audit.reason().contains("does not contain any trusted certificate"), audit.reason());
        // Attached to another manifest: integrity fails whatever the level.
        NotarySignatures.Target other = new NotarySignatures.Target(E2E_IMAGE.mediaType(), E2E_IMAGE.digest(), 518);
        assertOutcome(Check.Outcome.INVALID, jws(envelope, other, trust("e2e.crt", "*", NotaryTrust.Level.AUDIT)));
    }

    @Test
    void e2eInvalidSignatureIsNotAnEnvelope() {
        byte[] layer = UpstreamFixtures.read(E2E + "e2e-invalid-signature/blobs/sha256/9a8decdf3775708f4eed16859f19561d730cad40b1af0dcfc37ac1e5f879a934");
        for (NotaryTrust.Level level : NotaryTrust.Level.values()) {
            Check check = NotarySignatures.verify("application/vnd.oci.image.layer.v1.tar", layer, E2E_IMAGE,
                    List.of(trust("e2e.crt", "*", level)), Instant.now());
            assertOutcome(Check.Outcome.INVALID, check);
            assertTrue(check.reason().startsWith("integrity validation failed"), check.reason());
        }
    }

    @Test
    void e2eExpiredSignatureFailsStrictOnly() {
        byte[] envelope = e2eEnvelope("e2e-expired-signature", "b5f927564088f65dad86c81bcdd0b55415a8b4c9a0a5391107210e0cdb305cc7");
        Check strict = jws(envelope, E2E_IMAGE, trust("e2e.crt", "*", NotaryTrust.Level.STRICT));
        assertOutcome(Check.Outcome.INVALID, strict);
        assertTrue(strict.reason().contains("expiry validation failed"), strict.reason());
        assertOutcome(Check.Outcome.VALID, jws(envelope, E2E_IMAGE, trust("e2e.crt", "*", NotaryTrust.Level.PERMISSIVE)));
        Check audit = jws(envelope, E2E_IMAGE, trust("e2e.crt", "*", NotaryTrust.Level.AUDIT));
        assertOutcome(Check.Outcome.VALID, audit);
        assertTrue(audit.reason().contains("has expired"), audit.reason());
    }

    @Test
    void e2eExpiredCertificateFailsTheAuthenticTimestampAtStrict() {
        byte[] envelope = e2eEnvelope("e2e-with-expired-cert", "8513a5ba473f32b78a87518b732700632c05cde0d59d179275c5c5a8096beeed");
        Check strict = jws(envelope, E2E_IMAGE, trust("expired_e2e.crt", "*", NotaryTrust.Level.STRICT));
        assertOutcome(Check.Outcome.INVALID, strict);
        assertTrue(strict.reason().contains("authenticTimestamp validation failed"), strict.reason());
        assertOutcome(Check.Outcome.VALID, jws(envelope, E2E_IMAGE, trust("expired_e2e.crt", "*", NotaryTrust.Level.PERMISSIVE)));
        assertOutcome(Check.Outcome.VALID, jws(envelope, E2E_IMAGE, trust("expired_e2e.crt", "*", NotaryTrust.Level.AUDIT)));
    }

    @Test
    void notationGoCaAndSigningAuthorityEnvelopes() {
        for (String name : List.of("ca_valid_sig_env.json", "sa_valid_sig_env.json")) {
            byte[] envelope = UpstreamFixtures.read(GO + name);
            for (NotaryTrust.Level level : NotaryTrust.Level.values()) {
                assertOutcome(Check.Outcome.VALID, jws(envelope, NET_MONITOR, goTrust("NotationTestRoot.pem", NOTATION_ROOT_SUBJECT, level)));
            }
            // Untrusted root and wrong identity: enforced at strict and permissive, logged at audit.
            for (NotaryTrust.Level level : List.of(NotaryTrust.Level.STRICT, NotaryTrust.Level.PERMISSIVE)) {
                assertOutcome(Check.Outcome.UNKNOWN_KEY, jws(envelope, NET_MONITOR, goTrust("GlobalSignRootCA.crt", NOTATION_ROOT_SUBJECT, level)));
                assertOutcome(Check.Outcome.INVALID, jws(envelope, NET_MONITOR, goTrust("NotationTestRoot.pem",
                        "x509.subject:CN=LOL,O=DummyOrg,L=Hyderabad,ST=TG,C=IN", level)));
            }
            assertOutcome(Check.Outcome.VALID, jws(envelope, NET_MONITOR, goTrust("GlobalSignRootCA.crt", NOTATION_ROOT_SUBJECT, NotaryTrust.Level.AUDIT)));
        }
    }

    @Test
    void notationGoTamperedPayloadEncodingIsInvalidAtEveryLevel() {
        byte[] envelope = UpstreamFixtures.read(GO + "ca_invalid_sig_env.json");
        for (NotaryTrust.Level level : NotaryTrust.Level.values()) {
            Check check = jws(envelope, NET_MONITOR, goTrust("NotationTestRoot.pem", "*", level));
            assertOutcome(Check.Outcome.INVALID, check);
            assertTrue(check.reason().startsWith("integrity validation failed"), check.reason());
        }
    }

    @Test
    void notationGoExpiredSignatureIsEnforcedAtStrictOnly() {
        byte[] envelope = UpstreamFixtures.read(GO + "ca_expired_sig_env.json");
        assertOutcome(Check.Outcome.INVALID, jws(envelope, NET_MONITOR, goTrust("NotationTestRoot.pem", "*", NotaryTrust.Level.STRICT)));
        assertOutcome(Check.Outcome.VALID, jws(envelope, NET_MONITOR, goTrust("NotationTestRoot.pem", "*", NotaryTrust.Level.PERMISSIVE)));
        assertOutcome(Check.Outcome.VALID, jws(envelope, NET_MONITOR, goTrust("NotationTestRoot.pem", "*", NotaryTrust.Level.AUDIT)));
    }

    @Test
    void jwsAndCoseForTheSameManifestVerifyWithTheirEmbeddedCertificate() {
        byte[] jws = UpstreamFixtures.read(GO + "jws_signature.sig");
        byte[] cose = UpstreamFixtures.read(GO + "cose_signature.sig");
        X509Certificate alpine = NotaryEnvelope.parse(NotaryEnvelope.COSE, cose).chain().get(0);
        NotaryTrust trust = new NotaryTrust("ALPINE", List.of(alpine), List.of("x509.subject:CN=alpine,O=Notary,L=Seattle,ST=WA,C=US"),
                NotaryTrust.Level.STRICT);
        assertOutcome(Check.Outcome.VALID, NotarySignatures.verify(NotaryEnvelope.JWS, jws, ALPINE, List.of(trust), Instant.now()));
        assertOutcome(Check.Outcome.VALID, NotarySignatures.verify(NotaryEnvelope.COSE, cose, ALPINE, List.of(trust), Instant.now()));
        assertOutcome(Check.Outcome.UNKNOWN_KEY, NotarySignatures.verify(NotaryEnvelope.COSE, cose, ALPINE, List.of(), Instant.now()));
    }

    @Test
    void tamperedCoseEnvelopeIsInvalid() {
        byte[] cose = UpstreamFixtures.read(GO + "cose_signature.sig");
        X509Certificate alpine = NotaryEnvelope.parse(NotaryEnvelope.COSE, cose).chain().get(0);
        NotaryTrust trust = new NotaryTrust("ALPINE", List.of(alpine), List.of("*"), NotaryTrust.Level.AUDIT);
        // Flip one bit of the payload's digest text (the payload JSON is inside the COSE message as a byte string).
        String text = new String(cose, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("19dbd2e48e92");
        assertTrue(at > 0);
        byte[] tampered = cose.clone();
        tampered[at] = (byte) '2';
        Check check = NotarySignatures.verify(NotaryEnvelope.COSE, tampered, ALPINE, List.of(trust), Instant.now());
        assertOutcome(Check.Outcome.INVALID, check);
        assertTrue(check.reason().contains("does not verify"), check.reason());
        byte[] lastByte = cose.clone();
        lastByte[lastByte.length - 1] ^= 1;
        assertOutcome(Check.Outcome.INVALID, NotarySignatures.verify(NotaryEnvelope.COSE, lastByte, ALPINE, List.of(trust), Instant.now()));
    }

    private static byte[] e2eEnvelope(String layout, String blob) {
        return UpstreamFixtures.read(E2E + layout + "/blobs/sha256/" + blob);
    }

    private static NotaryTrust trust(String certificate, String identity, NotaryTrust.Level level) {
        return new NotaryTrust("E2E", List.of(UpstreamFixtures.certificate(E2E + certificate)), List.of(identity), level);
    }

    private static NotaryTrust goTrust(String certificate, String identity, NotaryTrust.Level level) {
        return new NotaryTrust("GO", List.of(UpstreamFixtures.certificate(GO + certificate)), List.of(identity), level);
    }

    private static Check jws(byte[] envelope, NotarySignatures.Target target, NotaryTrust trust) {
        return NotarySignatures.verify(NotaryEnvelope.JWS, envelope, target, List.of(trust), Instant.now());
    }

    private static void assertOutcome(Check.Outcome expected, Check check) {
        assertEquals(expected, check.outcome(), check.reason());
    }
}
