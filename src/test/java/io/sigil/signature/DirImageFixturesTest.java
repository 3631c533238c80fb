package io.sigil.signature;

import static io.sigil.signature.Fixtures.D1;
import static io.sigil.signature.Fixtures.PRIMARY_WITH_SUBKEY;
import static io.sigil.signature.Fixtures.TEST_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sigil.signature.DirImage.Decision;
import io.sigil.signature.DirImage.Evaluation;
import io.sigil.signature.Verdict.State;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The atomic dir-img-* fixtures: key public-key.gpg, reference testing/manifest:latest, matchRepoDigestOrExact. */
class DirImageFixturesTest {

    private static final String REFERENCE = "testing/manifest:latest";
    private static final IdentityRule DEFAULT_RULE = IdentityRule.matchRepoDigestOrExact();
    private final OpenPgpKeyring testKey = Fixtures.keyring("public-key.gpg");

    private Evaluation evaluate(String directory) {
        return new DirImage(directory).evaluateAtomic(testKey, REFERENCE, DEFAULT_RULE);
    }

    @Test
    void validImageIsAcceptedForItsTagOnly() {
        Evaluation latest = evaluate("dir-img-valid");
        Evaluation notLatest = new DirImage("dir-img-valid").evaluateAtomic(testKey, "testing/manifest:notlatest", DEFAULT_RULE);

        assertEquals(Decision.ACCEPTED, latest.decision(), latest.reasons());
        assertEquals(TEST_KEY, latest.verdicts().get(0).keyIdentity());
        assertEquals(Decision.REJECTED, notLatest.decision());
        assertTrue(notLatest.reasons().contains("is not accepted for \"testing/manifest:notlatest\""), notLatest.reasons());
    }

    @Test
    void bothSignaturesOfValid2AreValid() {
        Evaluation evaluation = evaluate("dir-img-valid-2");

        assertEquals(Decision.ACCEPTED, evaluation.decision());
        assertEquals(List.of(State.VALID, State.VALID), evaluation.verdicts().stream().map(Verdict::state).toList());
        assertEquals(List.of(1464398954L, 1464640051L), new DirImage("dir-img-valid-2").signatures().stream()
                .map(blob -> AtomicSignatures.parse(blob).timestamp()).toList());
    }

    @Test
    void oneGoodSignatureIsEnough() {
        Evaluation evaluation = evaluate("dir-img-mixed");

        assertEquals(Decision.ACCEPTED, evaluation.decision());
        assertEquals(List.of(State.INVALID, State.VALID), evaluation.verdicts().stream().map(Verdict::state).toList());
    }

    @Test
    void subkeySignatureIsAttributedToThePrimaryKey() {
        Evaluation evaluation = new DirImage("dir-img-valid-subkey")
                .evaluateAtomic(Fixtures.keyring("public-key-with-subkey.gpg"), REFERENCE, DEFAULT_RULE);

        assertEquals(Decision.ACCEPTED, evaluation.decision(), evaluation.reasons());
        assertEquals(PRIMARY_WITH_SUBKEY, evaluation.verdicts().get(0).keyIdentity());
    }

    @Test
    void unsignedImageIsRejected() {
        Evaluation evaluation = evaluate("dir-img-unsigned");

        assertEquals(Decision.REJECTED, evaluation.decision());
        assertEquals("a signature was required, but no signature exists", evaluation.reasons());
    }

    @Test
    void modifiedManifestIsRejectedForItsDigest() {
        Evaluation evaluation = evaluate("dir-img-modified-manifest");

        assertEquals(Decision.REJECTED, evaluation.decision());
        assertEquals("signature is for manifest digest " + D1 + ", not "
                + new DirImage("dir-img-modified-manifest").manifestDigest(), evaluation.reasons());
        assertTrue(evaluation.reasons().contains("sha256:2edc21ff"), evaluation.reasons());
    }

    @Test
    void missingOrUndigestableManifestIsAnError() {
        assertThrows(IllegalStateException.class, () -> evaluate("dir-img-no-manifest"));
        assertThrows(IllegalStateException.class, () -> evaluate("dir-img-manifest-digest-error"));
    }
}
