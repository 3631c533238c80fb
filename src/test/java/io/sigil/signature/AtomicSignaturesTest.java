package io.sigil.signature;

import static io.sigil.signature.Fixtures.D1;
import static io.sigil.signature.Fixtures.TEST_KEY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AtomicSignaturesTest {

    private static final String OTHER_DIGEST = "sha256:2edc21ff00000000000000000000000000000000000000000000000000000000";

    @Test
    void parseReadsWhatTheSignatureClaims() {
        UntrustedAtomicSignature signature = AtomicSignatures.parse(Fixtures.read("image.signature"));

        assertEquals("E932F44B23E8DD43", signature.signingKeyId());
        assertEquals(TEST_KEY, signature.issuerFingerprint());
        assertEquals(Instant.ofEpochSecond(1750706529), signature.creationTime());
        assertEquals("testing/manifest", signature.dockerReference());
        assertEquals(D1, signature.manifestDigest());
        assertEquals("atomic ", signature.creator());
        assertEquals(1458239713L, signature.timestamp());
        assertTrue(new String(signature.payload(), StandardCharsets.UTF_8).startsWith("{\"critical\":"));
    }

    @Test
    void parseOfAV3SignatureHasAKeyIdButNoFingerprint() {
        UntrustedAtomicSignature signature = AtomicSignatures.parse(Fixtures.read("subkey.signature-v3"));

        assertEquals("D75B3109B3BAAEAF", signature.signingKeyId());
        assertNull(signature.issuerFingerprint());
        assertEquals("testing/manifest:latest", signature.dockerReference());
    }

    @Test
    void parseLeavesAbsentOptionalFieldsNull() {
        UntrustedAtomicSignature signature = AtomicSignatures.parse(Fixtures.read("no-optional-fields.signature"));

        assertNull(signature.creator());
        assertNull(signature.timestamp());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "unsigned-literal.signature,     bare literal data: the message is not signed",
            "unsigned-encrypted.signature,   an encrypted OpenPGP message, not a signed one",
            "invalid-blob.signature,         payload is not valid JSON",
            "invalid-blob.signature-v3,      payload is not valid JSON",
            "unknown-cosign-key.signature,   unrecognised signature format, starting with byte 0x00",
            "image.manifest.json,            unrecognised signature format, starting with byte 0x7b",
    })
    void parseRejectsWhatIsNotASignedAtomicPayload(String file, String expectedMessage) {
        SignatureFormatException e = assertThrows(SignatureFormatException.class, () -> AtomicSignatures.parse(Fixtures.read(file)));
        assertTrue(e.getMessage().contains(expectedMessage), e.getMessage());
    }

    @Test
    void parseRejectsEmptyAndTruncatedBlobs() {
        assertEquals("empty signature",
                assertThrows(SignatureFormatException.class, () -> AtomicSignatures.parse(new byte[0])).getMessage());
        byte[] truncated = Arrays.copyOf(Fixtures.read("image.signature"), 200);
        assertThrows(SignatureFormatException.class, () -> AtomicSignatures.parse(truncated));
    }

    @Test
    void requireManifestDigestComparesDigestStrings() {
        UntrustedAtomicSignature signature = AtomicSignatures.parse(Fixtures.read("image.signature"));

        assertDoesNotThrow(() -> AtomicSignatures.requireManifestDigest(signature, D1));
        InvalidSignatureException e = assertThrows(InvalidSignatureException.class,
                () -> AtomicSignatures.requireManifestDigest(signature, OTHER_DIGEST));
        assertEquals("signature is for manifest digest " + D1 + ", not " + OTHER_DIGEST, e.getMessage());
    }

    @Test
    void verifyRejectsASignatureForAnotherManifest() {
        Verdict verdict = AtomicSignatures.verify(Fixtures.read("image.signature"), Fixtures.keyring("public-key.gpg"), OTHER_DIGEST);

        assertEquals(Verdict.State.INVALID, verdict.state());
        assertEquals(TEST_KEY, verdict.keyIdentity());
        assertEquals("signature is for manifest digest " + D1 + ", not " + OTHER_DIGEST, verdict.reason());
    }

    @Test
    void verifyAcceptsTheExpiredFixtureOnlyBeforeItsExpiry() {
        byte[] expired = Fixtures.read("expired.signature");
        OpenPgpKeyring keys = Fixtures.keyring("public-key.gpg");
        // Its payload is plain text, so a signature that has not expired yet fails one step later, on the JSON.
        Verdict beforeExpiry = AtomicSignatures.verify(expired, keys, D1, Instant.ofEpochSecond(1750712458 + 60));
        Verdict afterExpiry = AtomicSignatures.verify(expired, keys, D1, Instant.parse("2025-06-25T00:00:00Z"));

        assertTrue(beforeExpiry.reason().startsWith("invalid signature payload"), beforeExpiry.reason());
        assertTrue(afterExpiry.reason().startsWith("signature expired on"), afterExpiry.reason());
    }

    @Test
    void verifiedIdentityIsCheckedSeparately() {
        OpenPgpKeyring keys = Fixtures.keyring("public-key.gpg");
        Verdict valid = AtomicSignatures.verify(Fixtures.read("image.signature"), keys, D1);
        Verdict unparsableReference = AtomicSignatures.verify(Fixtures.read("invalid-reference.signature"), keys, D1);

        assertTrue(valid.requireIdentity("testing/manifest", IdentityRule.matchRepository()).isValid());
        // The signed reference is name-only, which matchExact never accepts.
        assertEquals(Verdict.State.INVALID, valid.requireIdentity("testing/manifest", IdentityRule.matchExact()).state());
        Verdict rejected = unparsableReference.requireIdentity("testing/manifest", IdentityRule.matchRepository());
        assertEquals(Verdict.State.INVALID, rejected.state());
        assertEquals("signed identity \"UPPERCASEISINVALID\" is not accepted for \"testing/manifest\" by matchRepository",
                rejected.reason());
    }

    @Test
    void payloadIsByteIdenticalToWhatContainersImageWrote() {
        // image.signature and subkey.signature were written by containers/image (Go); their literal data is the oracle.
        assertArrayEquals(AtomicSignatures.parse(Fixtures.read("image.signature")).payload(),
                AtomicSignatures.payload("testing/manifest", D1, "atomic ", 1458239713L));
        assertArrayEquals(AtomicSignatures.parse(Fixtures.read("subkey.signature")).payload(),
                AtomicSignatures.payload("testing/manifest:latest", D1, null, null));
    }

    @Test
    void payloadEscapesStringsAsGoEncodingJsonDoes() {
        String payload = new String(AtomicSignatures.payload("example.com/a", D1,
                "<a & b>\u2028\u2029\"\\\n\r\t\b\f\u0001\u007f/é😀\ud800", -1L), StandardCharsets.UTF_8);

        assertEquals("{\"critical\":{\"identity\":{\"docker-reference\":\"example.com/a\"},\"image\":{\"docker-manifest-digest\":\""
                + D1 + "\"},\"type\":\"atomic container signature\"},\"optional\":{\"creator\":"
                + "\"\\u003ca \\u0026 b\\u003e\\u2028\\u2029\\\"\\\\\\n\\r\\t\\b\\f\\u0001\u007f/é😀\\ufffd\",\"timestamp\":-1}}",
                payload);
    }

    @Test
    void payloadRoundTripsThroughTheStrictParser() {
        byte[] payload = AtomicSignatures.payload("docker.io/library/busybox:latest", D1, "sigil", 1700000000L);
        SimpleSigningPayload.UntrustedClaims claims =
                SimpleSigningPayload.parse(payload, SimpleSigningPayload.ATOMIC_TYPE, false);

        assertEquals(new SimpleSigningPayload.UntrustedClaims("docker.io/library/busybox:latest", D1, "sigil", 1700000000L), claims);
    }
}
