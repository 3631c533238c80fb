package io.sigil.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The sigstore-bundle conformance cases, the cosign-attestation bundles and cosign's image attestation bundle get the
 * verdicts their READMEs state, with the trusted roots and identities named there.
 */
class SigstoreBundlesTest {

    private static final SigstoreTrustedRoot PUBLIC_GOOD = SigstoreTrustedRoot.parse(UpstreamFixtures.read("sigstore-bundle/public-good.json"));
    private static final String A_TXT = "sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf";
    private static final String BEACON = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/"
            + ".github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    private static final String ACTIONS = "https://token.actions.githubusercontent.com";
    private static final SigstoreBundles.Expected CONFORMANCE = new SigstoreBundles.Expected("BEACON", PUBLIC_GOOD, null, ACTIONS, BEACON);
    private static final String NPM = "sha512:76176ffa33808b54602c7c35de5c6e9a4deb96066dba6533f50ac234f4f1f4c6"
            + "b3527515dc17c06fbe2860030f410eee69ea20079bd3a2c6f3dcf3b329b10751";
    private static final String EMPTY_IMAGE = "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4";

    @Test
    void conformanceHappyPaths() {
        Check dsse = conformance("happy-path-intoto-in-dsse-v3", A_TXT);
        assertEquals(Check.Outcome.VALID, dsse.outcome(), dsse.reason());
        assertEquals("https://slsa.dev/provenance/v1", dsse.predicateType());
        Check message = conformance("happy-path-v0.3-new-mediaType", A_TXT);
        assertEquals(Check.Outcome.VALID, message.outcome(), message.reason());
    }

    @Test
    void conformanceFailures() {
        for (String name : new String[] {"dsse-invalid-sig_fail", "dsse-mismatch-sig_fail", "dsse-mismatch-envelope_fail",
                "message-digest-mismatch_fail", "inclusion-proof-corrupted-hash_fail"}) {
            Check check = conformance(name, A_TXT);
            assertEquals(Check.Outcome.INVALID, check.outcome(), name + ": " + check.reason());
        }
        assertTrue(conformance("dsse-mismatch-sig_fail", A_TXT).reason().contains("does not match"));
        assertTrue(conformance("inclusion-proof-corrupted-hash_fail", A_TXT).reason().contains("inclusion proof"));
    }

    @Test
    void wrongIdentityAndWrongArtifactFail() {
        byte[] bundle = UpstreamFixtures.read("sigstore-bundle/happy-path-intoto-in-dsse-v3/bundle.sigstore.json");
        SigstoreBundles.Expected otherIssuer = new SigstoreBundles.Expected("X", PUBLIC_GOOD, null, "https://github.com/login/oauth", BEACON);
        assertEquals(Check.Outcome.INVALID, SigstoreBundles.verify(bundle, otherIssuer, A_TXT).outcome());
        SigstoreBundles.Expected otherSubject = new SigstoreBundles.Expected("X", PUBLIC_GOOD, null, ACTIONS, "someone@example.com");
        assertEquals(Check.Outcome.INVALID, SigstoreBundles.verify(bundle, otherSubject, A_TXT).outcome());
        Check otherArtifact = SigstoreBundles.verify(bundle, CONFORMANCE, "sha256:" + "00".repeat(32));
        assertEquals(Check.Outcome.INVALID, otherArtifact.outcome());
        byte[] message = UpstreamFixtures.read("sigstore-bundle/happy-path-v0.3-new-mediaType/bundle.sigstore.json");
        assertEquals(Check.Outcome.INVALID, SigstoreBundles.verify(message, CONFORMANCE, "sha256:" + "00".repeat(32)).outcome());
    }

    @Test
    void managedKeyWithStagingRoot() {
        SigstoreTrustedRoot staging = SigstoreTrustedRoot.parse(UpstreamFixtures.read("sigstore-bundle/managed-key-and-trusted-root/trusted_root.json"));
        byte[] bundle = UpstreamFixtures.read("sigstore-bundle/managed-key-and-trusted-root/bundle.sigstore.json");
        SigstoreBundles.Expected key = new SigstoreBundles.Expected("KEY", staging,
                UpstreamFixtures.publicKey("sigstore-bundle/managed-key-and-trusted-root/key.pub"), null, null);
        Check check = SigstoreBundles.verify(bundle, key, A_TXT);
        assertEquals(Check.Outcome.VALID, check.outcome(), check.reason());
        assertEquals(Check.Outcome.UNKNOWN_KEY, SigstoreBundles.verify(bundle, new SigstoreBundles.Expected("KEY", PUBLIC_GOOD,
                UpstreamFixtures.publicKey("sigstore-bundle/managed-key-and-trusted-root/key.pub"), null, null), A_TXT).outcome(),
                "the staging log is not in the public-good root");
    }

    @Test
    void cosignAttestationBundles() {
        Check publish = SigstoreBundles.verify(UpstreamFixtures.read("cosign-attestation/bundle-publish.json"),
                new SigstoreBundles.Expected("NPM", PUBLIC_GOOD, UpstreamFixtures.publicKey("cosign-attestation/publish_key.pub"),
                        null, null), NPM);
        assertEquals(Check.Outcome.VALID, publish.outcome(), publish.reason());
        Check provenance = SigstoreBundles.verify(UpstreamFixtures.read("cosign-attestation/bundle-provenance.json"),
                new SigstoreBundles.Expected("SIGSTORE-JS", PUBLIC_GOOD, null, ACTIONS,
                        "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main"), NPM);
        assertEquals(Check.Outcome.VALID, provenance.outcome(), provenance.reason());
        assertEquals("https://slsa.dev/provenance/v0.2", provenance.predicateType());
    }

    @Test
    void cosignImageAttestationBundle() {
        SigstoreTrustedRoot pgi = SigstoreTrustedRoot.parse(UpstreamFixtures.read("cosign/trusted_root_pgi.json"));
        byte[] bundle = UpstreamFixtures.read("cosign/oci-attestation.sigstore.json");
        SigstoreBundles.Expected cody = new SigstoreBundles.Expected("CODY", pgi, null, "https://github.com/login/oauth", "cody@soyland.com");
        Check valid = SigstoreBundles.verify(bundle, cody, EMPTY_IMAGE);
        assertEquals(Check.Outcome.VALID, valid.outcome(), valid.reason());
        assertEquals("https://cosign.sigstore.dev/attestation/v1", valid.predicateType());
        assertEquals(Check.Outcome.INVALID, SigstoreBundles.verify(bundle, cody, "sha256:" + "11".repeat(32)).outcome());
        assertEquals(Check.Outcome.INVALID, SigstoreBundles.verify(bundle, new SigstoreBundles.Expected("X", pgi, null,
                "https://github.com/login/oauth", "wrong"), EMPTY_IMAGE).outcome());
    }

    private static Check conformance(String name, String artifact) {
        return SigstoreBundles.verify(UpstreamFixtures.read("sigstore-bundle/" + name + "/bundle.sigstore.json"), CONFORMANCE, artifact);
    }
}
