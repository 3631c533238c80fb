package io.sigil.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sigil.signature.Verdict.State;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Fulcio + Rekor, key + Rekor and PKI fixtures of the README's sigstore table, and the ways each must fail:
 * verdicts as containers/image's sigstoreSigned requirements reach them.
 */
class KeylessFixturesTest {

    static final String D3 = "sha256:0489474da8ea22426ece86ace6c1c0026ab2fd3cdfbbd62b7e94650266c37d9a";
    static final String D4 = "sha256:253c890b744fe3efa923b68e3a1be07bd007eb44ba29da1e7deb1d4c53b3e212";
    static final String GITHUB = "https://github.com/login/oauth";
    static final String MITR = "mitr@redhat.com";

    private static final ECPublicKey REKOR = (ECPublicKey) key("rekor.pub");
    private static final List<X509Certificate> FULCIO_ROOT = certificates("fulcio_v1.crt.pem");
    private static final List<X509Certificate> PKI_ROOTS = certificates("pki_root_crts.pem");
    private static final List<X509Certificate> PKI_INTERMEDIATES = certificates("pki_intermediate_crts.pem");
    private static final UntrustedCosignSignature FULCIO_SIGNED = layer("dir-img-cosign-fulcio-rekor-valid/signature-1");
    private static final UntrustedCosignSignature KEY_REKOR_SIGNED = layer("dir-img-cosign-key-rekor-valid/signature-1");
    private static final UntrustedCosignSignature PKI_SIGNED = layer("dir-img-cosign-pki-valid/signature-1");

    @Test
    void fulcioSignatureIsValidAtItsRekorTimeThoughItsCertificateExpiredLongAgo() {
        Verdict verdict = verify(FULCIO_SIGNED, fulcio(FULCIO_ROOT, REKOR, GITHUB, MITR), D3);

        assertEquals(State.VALID, verdict.state(), verdict.reason());
        assertEquals("fulcio", verdict.keyIdentity());
        assertEquals("192.168.64.2:5000/cosign-signed/fulcio-rekor-1", verdict.signedDockerReference());
        assertTrue(verdict.reason().contains(MITR) && verdict.reason().contains("2023-01-20T20:51:33Z"), verdict.reason());
        assertEquals(new DirImage("dir-img-cosign-fulcio-rekor-valid").manifestDigest(), D3);
    }

    @Test
    void fulcioSignatureOfAnotherIdentityOrIssuerOrCaIsInvalidSayingWhy() {
        assertInvalid(verify(FULCIO_SIGNED, fulcio(FULCIO_ROOT, REKOR, GITHUB, "someone@example.com"), D3),
                "Required email \"someone@example.com\" not found (got [mitr@redhat.com])");
        assertInvalid(verify(FULCIO_SIGNED, fulcio(FULCIO_ROOT, REKOR, "https://accounts.google.com", MITR), D3),
                "Unexpected Fulcio OIDC issuer \"https://github.com/login/oauth\"");
        assertInvalid(verify(FULCIO_SIGNED, fulcio(PKI_ROOTS, REKOR, GITHUB, MITR), D3), "no chain to a trusted CA");
        assertInvalid(verify(FULCIO_SIGNED, fulcio(FULCIO_ROOT, (ECPublicKey) key("cosign.pub"), GITHUB, MITR), D3),
                "cryptographic signature verification of Rekor SET failed");
        assertInvalid(verify(FULCIO_SIGNED, fulcio(FULCIO_ROOT, REKOR, GITHUB, MITR), Fixtures.D2), "signature is for manifest digest");
    }

    @Test
    void aTamperedSetOrMissingRekorMaterialIsInvalid() {
        String bundle = FULCIO_SIGNED.annotations().get(RekorSet.ANNOTATION);
        CosignTrust trust = fulcio(FULCIO_ROOT, REKOR, GITHUB, MITR);

        assertInvalid(verify(withAnnotation(FULCIO_SIGNED, RekorSet.ANNOTATION, bundle.replace("1674247893", "1674247894")), trust, D3),
                "cryptographic signature verification of Rekor SET failed");
        assertInvalid(verify(withAnnotation(FULCIO_SIGNED, RekorSet.ANNOTATION, null), trust, D3),
                "missing dev.sigstore.cosign/bundle annotation");
        assertInvalid(verify(withAnnotation(FULCIO_SIGNED, RekorSet.ANNOTATION, "{\"Payload\":{}}"), trust, D3),
                "must have exactly the members");
        // The SET vouches for one certificate: another (here the chain's intermediate) does not match it.
        String intermediate = FULCIO_SIGNED.annotations().get(CosignTrust.CHAIN_ANNOTATION).split("(?<=-----END CERTIFICATE-----)")[0];
        assertInvalid(verify(withAnnotation(FULCIO_SIGNED, CosignTrust.CERTIFICATE_ANNOTATION, intermediate + "\n"), trust, D3),
                "publicKey in Rekor SET does not match");
    }

    @Test
    void upstreamRekorTripleVerifiesWithTheFulcioCertIdenticalToIt() {
        String certificate = text("rekor-cert");
        assertEquals(certificate, text("fulcio-cert"));
        Map<String, String> annotations = Map.of(
                CosignSignatures.SIGNATURE_ANNOTATION, text("rekor-sig").trim(),
                CosignTrust.CERTIFICATE_ANNOTATION, certificate,
                CosignTrust.CHAIN_ANNOTATION, text("fulcio-chain"),
                RekorSet.ANNOTATION, text("rekor-set"));
        byte[] payload = Fixtures.read("rekor-payload");
        UntrustedCosignSignature layer = new UntrustedCosignSignature(CosignSignatures.SIMPLE_SIGNING_MEDIA_TYPE, payload, annotations);
        String digest = CosignSignatures.parsePayload(payload).manifestDigest();

        Verdict verdict = verify(layer, fulcio(FULCIO_ROOT, REKOR, GITHUB, MITR), digest);
        assertEquals(State.VALID, verdict.state(), verdict.reason());
        assertEquals("192.168.64.2:5000/test-repo-2100826901021538654/alpine", verdict.signedDockerReference());
    }

    @Test
    void certificateExpiredAtTheRekorTimeIsInvalid() {
        TestSigstore sigstore = new TestSigstore();
        KeyPair signer = CosignKeys.generate();
        Instant issued = Instant.now().minusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        X509Certificate leaf = sigstore.leaf(signer.getPublic(), "dev@example.com", TestSigstore.ISSUER, null, issued);
        byte[] payload = CosignSignatures.payload("registry.example.com/app", D3, null, null);
        CosignTrust trust = fulcio(List.of(sigstore.root), (ECPublicKey) sigstore.rekorKey.getPublic(), TestSigstore.ISSUER,
                "dev@example.com");

        Verdict inTime = verify(sigstore.layer(signer, leaf, payload, issued.plusSeconds(60)), trust, D3);
        Verdict late = verify(sigstore.layer(signer, leaf, payload, issued.plusSeconds(601)), trust, D3);
        Verdict early = verify(sigstore.layer(signer, leaf, payload, issued.minusSeconds(1)), trust, D3);

        assertEquals(State.VALID, inTime.state(), inTime.reason());
        assertInvalid(late, "is not valid at " + issued.plusSeconds(601));
        assertInvalid(early, "is not valid at " + issued.minusSeconds(1));
    }

    @Test
    void issuerMayBeInEitherFulcioExtensionButBothMustAgree() {
        TestSigstore sigstore = new TestSigstore();
        KeyPair signer = CosignKeys.generate();
        Instant issued = Instant.now().minusSeconds(60);
        byte[] payload = CosignSignatures.payload("registry.example.com/app", D3, null, null);
        CosignTrust trust = fulcio(List.of(sigstore.root), (ECPublicKey) sigstore.rekorKey.getPublic(), TestSigstore.ISSUER,
                "dev@example.com");
        Map<String, Verdict> verdicts = new HashMap<>();
        verdicts.put("v2 only", verify(sigstore.layer(signer, sigstore.leaf(signer.getPublic(), "dev@example.com", null,
                TestSigstore.ISSUER, issued), payload, issued.plusSeconds(1)), trust, D3));
        verdicts.put("both", verify(sigstore.layer(signer, sigstore.leaf(signer.getPublic(), "dev@example.com", TestSigstore.ISSUER,
                TestSigstore.ISSUER, issued), payload, issued.plusSeconds(1)), trust, D3));
        verdicts.put("disagree", verify(sigstore.layer(signer, sigstore.leaf(signer.getPublic(), "dev@example.com", TestSigstore.ISSUER,
                "https://other.example.com", issued), payload, issued.plusSeconds(1)), trust, D3));
        verdicts.put("none", verify(sigstore.layer(signer, sigstore.leaf(signer.getPublic(), "dev@example.com", null, null, issued),
                payload, issued.plusSeconds(1)), trust, D3));

        assertEquals(State.VALID, verdicts.get("v2 only").state(), verdicts.get("v2 only").reason());
        assertEquals(State.VALID, verdicts.get("both").state(), verdicts.get("both").reason());
        assertInvalid(verdicts.get("disagree"), "inconsistent OIDC issuer extension values");
        assertInvalid(verdicts.get("none"), "missing the issuer extension");
    }

    @Test
    void certificateSignaturesAreUnknownWithoutCertificateTrust() {
        Verdict verdict = verify(FULCIO_SIGNED, CosignTrust.ofKeys(List.of(key("cosign.pub"))), D3);

        assertEquals(State.UNKNOWN_KEY, verdict.state());
        assertTrue(verdict.reason().contains("no keyless or pki trust"), verdict.reason());
    }

    @Test
    void keyWithRekorNeedsTheSetByThatRekorKey() {
        PublicKey cosign2 = key("cosign2.pub");
        Verdict withRekor = verify(KEY_REKOR_SIGNED, keyWithRekor(cosign2, REKOR), D3);
        Verdict wrongRekor = verify(KEY_REKOR_SIGNED, keyWithRekor(cosign2, (ECPublicKey) key("cosign.pub")), D3);
        Verdict noSet = verify(layer("dir-img-cosign-valid/signature-1"), keyWithRekor(key("cosign.pub"), REKOR), Fixtures.D2);

        assertEquals(State.VALID, withRekor.state(), withRekor.reason());
        assertEquals(CosignSignatures.keyIdentity(cosign2), withRekor.keyIdentity());
        assertEquals("192.168.64.2:5000/cosign-signed/key-1", withRekor.signedDockerReference());
        assertInvalid(wrongRekor, "cryptographic signature verification of Rekor SET failed");
        assertInvalid(noSet, "missing dev.sigstore.cosign/bundle annotation");
        assertEquals(State.VALID, verify(KEY_REKOR_SIGNED, CosignTrust.ofKeys(List.of(cosign2)), D3).state());
    }

    @Test
    void pkiSignatureIsValidForItsEmailOrHostname() {
        for (CosignTrust trust : List.of(pki(PKI_ROOTS, PKI_INTERMEDIATES, "qiwan@redhat.com", null),
                pki(PKI_ROOTS, List.of(), null, "myhost.example.com"), pki(PKI_ROOTS, PKI_INTERMEDIATES, "qiwan@redhat.com", "MyHost.example.com."))) {
            Verdict verdict = verify(PKI_SIGNED, trust, D4);
            assertEquals(State.VALID, verdict.state(), verdict.reason());
            assertEquals("localhost:5000/test", verdict.signedDockerReference());
        }
        assertEquals(new DirImage("dir-img-cosign-pki-valid").manifestDigest(), D4);
    }

    @Test
    void pkiSignatureOfAnotherSubjectOrCaIsInvalid() {
        assertInvalid(verify(PKI_SIGNED, pki(PKI_ROOTS, PKI_INTERMEDIATES, "someone@redhat.com", null), D4),
                "Required email \"someone@redhat.com\" not found (got [qiwan@redhat.com])");
        assertInvalid(verify(PKI_SIGNED, pki(PKI_ROOTS, PKI_INTERMEDIATES, null, "otherhost.example.com"), D4),
                "Unexpected subject hostname");
        assertInvalid(verify(PKI_SIGNED, pki(PKI_ROOTS, PKI_INTERMEDIATES, null, "*.example.com"), D4), "Unexpected subject hostname");
        assertInvalid(verify(PKI_SIGNED, pki(FULCIO_ROOT, PKI_INTERMEDIATES, "qiwan@redhat.com", null), D4), "no chain to a trusted CA");
        assertInvalid(verify(withAnnotation(PKI_SIGNED, CosignTrust.CHAIN_ANNOTATION, null),
                pki(PKI_ROOTS, List.of(), "qiwan@redhat.com", null), D4), "no chain to a trusted CA");
        byte[] payload = PKI_SIGNED.payload();
        payload[payload.length - 3] ^= 1;
        assertInvalid(verify(new UntrustedCosignSignature(PKI_SIGNED.mediaType(), payload, PKI_SIGNED.annotations()),
                pki(PKI_ROOTS, PKI_INTERMEDIATES, "qiwan@redhat.com", null), D4), "cryptographic signature verification failed");
    }

    @Test
    void oneAcceptingTrustIsEnoughAndEveryRejectionIsReported() {
        CosignTrust both = new CosignTrust(List.of(), List.of(
                fulcio(FULCIO_ROOT, REKOR, GITHUB, "someone@example.com").fulcio().get(0),
                fulcio(FULCIO_ROOT, REKOR, GITHUB, MITR).fulcio().get(0)), List.of());
        CosignTrust neither = new CosignTrust(List.of(), fulcio(FULCIO_ROOT, REKOR, GITHUB, "a@example.com").fulcio(),
                pki(PKI_ROOTS, PKI_INTERMEDIATES, "qiwan@redhat.com", null).pki());

        assertEquals(State.VALID, verify(FULCIO_SIGNED, both, D3).state());
        Verdict rejected = verify(FULCIO_SIGNED, neither, D3);
        assertInvalid(rejected, "Required email \"a@example.com\"");
        assertTrue(rejected.reason().contains("trusted key 'pki': Required email \"qiwan@redhat.com\" not found"), rejected.reason());
    }

    private static void assertInvalid(Verdict verdict, String reasonPart) {
        assertEquals(State.INVALID, verdict.state(), verdict.reason());
        assertTrue(verdict.reason().contains(reasonPart), verdict.reason());
    }

    static Verdict verify(UntrustedCosignSignature layer, CosignTrust trust, String digest) {
        return CosignSignatures.verify(layer, trust, digest);
    }

    static CosignTrust fulcio(List<X509Certificate> cas, ECPublicKey rekor, String issuer, String email) {
        return new CosignTrust(List.of(), List.of(new CosignTrust.FulcioTrust("fulcio", "fulcio", cas, rekor, issuer, email)), List.of());
    }

    static CosignTrust pki(List<X509Certificate> roots, List<X509Certificate> intermediates, String email, String hostname) {
        return new CosignTrust(List.of(), List.of(), List.of(new CosignTrust.PkiTrust("pki", "pki", roots, intermediates, email, hostname)));
    }

    private static CosignTrust keyWithRekor(PublicKey key, ECPublicKey rekor) {
        return new CosignTrust(List.of(new CosignTrust.KeyTrust(key, rekor)), List.of(), List.of());
    }

    private static UntrustedCosignSignature withAnnotation(UntrustedCosignSignature layer, String name, String value) {
        Map<String, String> annotations = new HashMap<>(layer.annotations());
        if (value == null) {
            annotations.remove(name);
        } else {
            annotations.put(name, value);
        }
        return new UntrustedCosignSignature(layer.mediaType(), layer.payload(), annotations);
    }

    static UntrustedCosignSignature layer(String fixture) {
        return CosignSignatures.fromStorageForm(Fixtures.read(fixture));
    }

    static PublicKey key(String fixture) {
        return CosignSignatures.parsePublicKey(text(fixture));
    }

    static List<X509Certificate> certificates(String fixture) {
        return SigningCertificates.parsePem(text(fixture), fixture);
    }

    static String text(String fixture) {
        return new String(Fixtures.read(fixture), StandardCharsets.US_ASCII);
    }
}
