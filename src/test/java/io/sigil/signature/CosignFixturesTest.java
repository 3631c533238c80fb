package io.sigil.signature;

import static io.sigil.signature.Fixtures.D2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sigil.signature.DirImage.Decision;
import io.sigil.signature.DirImage.Evaluation;
import io.sigil.signature.Verdict.State;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The key-based cosign fixtures of the README's sigstore table. */
class CosignFixturesTest {

    private static final String SINGLE_SAMPLE = "192.168.64.2:5000/cosign-signed-single-sample";
    private static final PublicKey COSIGN_KEY = key("cosign.pub");
    private static final PublicKey COSIGN_KEY_2 = key("cosign2.pub");

    private static PublicKey key(String file) {
        return CosignSignatures.parsePublicKey(new String(Fixtures.read(file), StandardCharsets.US_ASCII));
    }

    static Stream<Arguments> identityRulesForARepositoryOnlyIdentity() {
        return Stream.of(
                Arguments.of(IdentityRule.matchRepository(), Decision.ACCEPTED),
                Arguments.of(IdentityRule.exactRepository(SINGLE_SAMPLE), Decision.ACCEPTED),
                Arguments.of(IdentityRule.matchExact(), Decision.REJECTED),
                Arguments.of(IdentityRule.matchRepoDigestOrExact(), Decision.REJECTED));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("identityRulesForARepositoryOnlyIdentity")
    void cosignWritesTheRepositoryOnly(IdentityRule rule, Decision expected) {
        Evaluation evaluation = new DirImage("dir-img-cosign-valid").evaluateCosign(List.of(COSIGN_KEY), SINGLE_SAMPLE + ":latest", rule);

        assertEquals(expected, evaluation.decision(), evaluation.reasons());
        assertEquals(CosignSignatures.keyIdentity(COSIGN_KEY), evaluation.verdicts().get(0).keyIdentity());
    }

    @Test
    void parsesWhatRealCosignWrote() {
        UntrustedCosignSignature layer = CosignSignatures.fromStorageForm(Fixtures.read("dir-img-cosign-valid/signature-1"));
        UntrustedCosignPayload payload = CosignSignatures.parsePayload(layer.payload());

        assertTrue(layer.isSimpleSigning());
        assertEquals(List.of(CosignSignatures.SIGNATURE_ANNOTATION), List.copyOf(layer.annotations().keySet()));
        assertEquals(new UntrustedCosignPayload(SINGLE_SAMPLE, D2, null, null), payload);
    }

    @Test
    void bothSignaturesOfValid2AreValid() {
        Evaluation evaluation = new DirImage("dir-img-cosign-valid-2")
                .evaluateCosign(List.of(COSIGN_KEY), SINGLE_SAMPLE + ":latest", IdentityRule.matchRepository());

        assertEquals(List.of(State.VALID, State.VALID), evaluation.verdicts().stream().map(Verdict::state).toList());
    }

    @Test
    void taggedIdentityFromContainersImageMatchesExactly() {
        DirImage image = new DirImage("dir-img-cosign-valid-with-tag");
        String reference = "192.168.64.2:5000/skopeo-signed:tag";

        assertEquals(Decision.ACCEPTED, image.evaluateCosign(List.of(COSIGN_KEY), reference, IdentityRule.matchExact()).decision());
        assertEquals(Decision.REJECTED,
                image.evaluateCosign(List.of(COSIGN_KEY), "192.168.64.2:5000/skopeo-signed:othertag", IdentityRule.matchExact()).decision());
        UntrustedCosignPayload payload = CosignSignatures.parsePayload(CosignSignatures.fromStorageForm(image.signatures().get(0)).payload());
        assertEquals("containers/image 5.21.2-dev", payload.creator());
    }

    @Test
    void signatureByAnotherKeyIsUnknown() {
        UntrustedCosignSignature layer = CosignSignatures.fromStorageForm(Fixtures.read("unknown-cosign-key.signature"));

        Verdict verdict = CosignSignatures.verify(layer, List.of(COSIGN_KEY, COSIGN_KEY_2), D2);
        assertEquals(State.UNKNOWN_KEY, verdict.state());
        assertNull(verdict.keyIdentity());
    }

    @Test
    void oneGoodSignatureIsEnough() {
        Evaluation evaluation = new DirImage("dir-img-cosign-mixed")
                .evaluateCosign(List.of(COSIGN_KEY), SINGLE_SAMPLE + ":latest", IdentityRule.matchRepository());

        assertEquals(Decision.ACCEPTED, evaluation.decision());
        assertEquals(List.of(State.UNKNOWN_KEY, State.VALID), evaluation.verdicts().stream().map(Verdict::state).toList());
    }

    @Test
    void otherAttachmentsAreNotSignaturesSoTheImageIsUnsigned() {
        DirImage image = new DirImage("dir-img-cosign-other-attachment");
        UntrustedCosignSignature attachment = CosignSignatures.fromStorageForm(image.signatures().get(0));

        assertFalse(attachment.isSimpleSigning());
        assertEquals(State.INVALID, CosignSignatures.verify(attachment, List.of(COSIGN_KEY), image.manifestDigest()).state());
        Evaluation evaluation = image.evaluateCosign(List.of(COSIGN_KEY), SINGLE_SAMPLE + ":latest", IdentityRule.matchRepository());
        assertEquals("a signature was required, but no signature exists", evaluation.reasons());
    }

    @Test
    void modifiedManifestIsRejectedForItsDigest() {
        DirImage image = new DirImage("dir-img-cosign-modified-manifest");
        Evaluation evaluation = image.evaluateCosign(List.of(COSIGN_KEY), SINGLE_SAMPLE + ":latest", IdentityRule.matchRepository());

        assertEquals(Decision.REJECTED, evaluation.decision());
        assertEquals("signature is for manifest digest " + D2 + ", not " + image.manifestDigest(), evaluation.reasons());
        assertTrue(image.manifestDigest().startsWith("sha256:d9dcafdb"));
    }

    @Test
    void missingOrUndigestableManifestIsAnError() {
        assertThrows(IllegalStateException.class, () -> new DirImage("dir-img-cosign-no-manifest")
                .evaluateCosign(List.of(COSIGN_KEY), SINGLE_SAMPLE, IdentityRule.matchRepository()));
        assertThrows(IllegalStateException.class, () -> new DirImage("dir-img-cosign-manifest-digest-error")
                .evaluateCosign(List.of(COSIGN_KEY), SINGLE_SAMPLE, IdentityRule.matchRepository()));
    }

    @Test
    void aFlippedPayloadByteBreaksTheSignature() {
        UntrustedCosignSignature valid = CosignSignatures.fromStorageForm(Fixtures.read("dir-img-cosign-valid/signature-1"));
        byte[] payload = valid.payload();
        payload[payload.length - 2] ^= 1;

        Verdict verdict = CosignSignatures.verify(new UntrustedCosignSignature(valid.mediaType(), payload, valid.annotations()),
                List.of(COSIGN_KEY), D2);
        assertEquals(State.UNKNOWN_KEY, verdict.state());
    }

    @Test
    void rejectsMalformedSignatureAnnotationsAndStorageForms() {
        UntrustedCosignSignature valid = CosignSignatures.fromStorageForm(Fixtures.read("dir-img-cosign-valid/signature-1"));
        String base64 = valid.annotations().get(CosignSignatures.SIGNATURE_ANNOTATION);
        Verdict notBase64 = CosignSignatures.verify(new UntrustedCosignSignature(valid.mediaType(), valid.payload(),
                Map.of(CosignSignatures.SIGNATURE_ANNOTATION, base64.substring(1))), List.of(COSIGN_KEY), D2);
        Verdict wrappedBase64 = CosignSignatures.verify(new UntrustedCosignSignature(valid.mediaType(), valid.payload(),
                Map.of(CosignSignatures.SIGNATURE_ANNOTATION, base64.substring(0, 20) + "\n" + base64.substring(20) + "\n")),
                List.of(COSIGN_KEY), D2);
        Verdict unannotated = CosignSignatures.verify(new UntrustedCosignSignature(valid.mediaType(), valid.payload(), Map.of()),
                List.of(COSIGN_KEY), D2);

        assertTrue(notBase64.reason().contains("is not valid base64"), notBase64.reason());
        assertTrue(wrappedBase64.isValid(), wrappedBase64.reason());
        assertEquals("missing annotation " + CosignSignatures.SIGNATURE_ANNOTATION, unannotated.reason());
        assertThrows(SignatureFormatException.class, () -> CosignSignatures.fromStorageForm(Fixtures.read("image.signature")));
        assertThrows(SignatureFormatException.class,
                () -> CosignSignatures.fromStorageForm("\0sigstore-json\n{\"mimeType\":1}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void parsePublicKeyRefusesWhatIsNotAnEcdsaOrRsaPublicKey() {
        assertThrows(IllegalArgumentException.class, () -> CosignSignatures.parsePublicKey("not a key"));
        assertThrows(IllegalArgumentException.class,
                () -> CosignSignatures.parsePublicKey(new String(Fixtures.read("public-key.gpg"), StandardCharsets.US_ASCII)));
    }
}
