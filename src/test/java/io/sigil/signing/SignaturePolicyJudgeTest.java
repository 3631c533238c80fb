package io.sigil.signing;

import io.sigil.signature.Verdict;
import io.sigil.signing.SignaturePolicy.Candidate;
import io.sigil.signing.SignaturePolicy.Reason;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The policy's decision for each kind of signature set, and which reason wins when several apply. */
class SignaturePolicyJudgeTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);
    private static final String REPO = "registry.example.com:5000/team/app";
    private static final SignaturePolicy LOOSE = new SignaturePolicy(Set.of("TRUSTED"), false, null);
    private static final SignaturePolicy EXACT = new SignaturePolicy(Set.of("TRUSTED"), true, null);

    private static Candidate valid(String key, String reference) {
        return new Candidate(reference, Verdict.State.VALID, key, "signed", false);
    }

    private static Reason reason(SignaturePolicy policy, String tag, Candidate... signatures) {
        return policy.judge(DIGEST, REPO, tag, List.of(signatures)).reason();
    }

    @Test
    void aValidSignatureByAPolicyKeyIsEnoughWithoutExactIdentity() {
        assertEquals(null, reason(LOOSE, "v1", valid("TRUSTED", "elsewhere.example/x:y")));
        assertEquals(null, reason(LOOSE, null, valid("TRUSTED", "elsewhere.example/x:y")));
    }

    @Test
    void exactIdentityNeedsTheTagPulledOrForADigestTheRepository() {
        assertEquals(null, reason(EXACT, "v1", valid("TRUSTED", REPO + ":v1")));
        assertEquals(Reason.IDENTITY_MISMATCH, reason(EXACT, "v2", valid("TRUSTED", REPO + ":v1")));
        assertEquals(null, reason(EXACT, null, valid("TRUSTED", REPO + ":v1")));
        assertEquals(Reason.IDENTITY_MISMATCH, reason(EXACT, null, valid("TRUSTED", "registry.example.com:5000/team/other:v1")));
        SignaturePolicy configured = new SignaturePolicy(Set.of("TRUSTED"), true, "mirror.example/app");
        assertEquals("mirror.example/app", configured.repositoryFor("localhost:1", "ignored"));
        assertEquals(REPO, EXACT.repositoryFor("registry.example.com:5000", "team/app"));
    }

    @Test
    void reasonsInOrderOfPrecedence() {
        Candidate otherKey = valid("OTHER", REPO + ":v1");
        Candidate unknown = new Candidate(REPO + ":v1", Verdict.State.UNKNOWN_KEY, null, "no trusted key", false);
        Candidate invalid = new Candidate(REPO + ":v1", Verdict.State.INVALID, "TRUSTED", "digest mismatch", false);
        Candidate revoked = new Candidate(REPO + ":v1", Verdict.State.VALID, "TRUSTED", "signed", true);
        assertEquals(Reason.IDENTITY_MISMATCH, reason(EXACT, "v2", valid("TRUSTED", REPO + ":v1"), otherKey, invalid));
        assertEquals(Reason.OTHER_KEYS, reason(EXACT, "v1", otherKey, invalid, unknown));
        assertEquals(Reason.OTHER_KEYS, reason(EXACT, "v1", unknown, invalid));
        assertEquals(Reason.INVALID, reason(EXACT, "v1", invalid));
        assertEquals(Reason.UNSIGNED, reason(EXACT, "v1"));
        SignaturePolicy.Decision revokedDecision = EXACT.judge(DIGEST, REPO, "v1", List.of(revoked));
        assertEquals(Reason.INVALID, revokedDecision.reason());
        assertTrue(revokedDecision.message().contains("TRUSTED is revoked"), revokedDecision.message());
    }

    @Test
    void aPolicyWhoseKeysWereAllDeletedAdmitsNothing() {
        SignaturePolicy empty = new SignaturePolicy(Set.of(), false, null);
        assertEquals(Reason.OTHER_KEYS, reason(empty, "v1", valid("TRUSTED", REPO + ":v1")));
    }

    @Test
    void onlyRepositoriesWithoutTagOrDigestMayBeConfigured() {
        SignaturePolicy.requireRepositoryReference("registry.example.com/team/app");
        for (String bad : List.of("registry.example.com/team/app:v1", "registry.example.com/app@" + DIGEST, "Not A Reference")) {
            assertThrows(IllegalArgumentException.class, () -> SignaturePolicy.requireRepositoryReference(bad), bad);
        }
    }
}
