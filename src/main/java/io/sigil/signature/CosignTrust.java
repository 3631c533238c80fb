package io.sigil.signature;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What cosign signatures are verified against, as containers/image's {@code sigstoreSigned} requirements would be
 * configured: public keys (each optionally bound to a Rekor log), Fulcio CAs with a Rekor log and an OIDC identity
 * (keyless), and PKI CAs with a required e-mail and/or hostname.
 *
 * <p>Each trusted entry either claims a signature (its verdict is then valid or invalid with the reason) or does not
 * (a key that did not make it; certificate trust when the signature carries no certificate). One valid claim makes
 * the signature valid; otherwise any invalid claim makes it invalid; no claim leaves it {@code unknown_key}.
 */
public record CosignTrust(List<KeyTrust> keys, List<FulcioTrust> fulcio, List<PkiTrust> pki) {

    static final String CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";
    static final String CHAIN_ANNOTATION = "dev.sigstore.cosign/chain";

    /** @param rekorKey null, or the Rekor log whose SET each signature by this key must carry */
    record KeyTrust(PublicKey key, ECPublicKey rekorKey) {
    }

    record FulcioTrust(String identity, String name, List<X509Certificate> cas, ECPublicKey rekorKey, String oidcIssuer,
                       String subjectEmail) {
    }

    /** @param subjectEmail null, or the e-mail required; @param subjectHostname null, or the hostname required */
    record PkiTrust(String identity, String name, List<X509Certificate> roots, List<X509Certificate> intermediates,
                    String subjectEmail, String subjectHostname) {
    }

    public CosignTrust {
        keys = List.copyOf(keys);
        fulcio = List.copyOf(fulcio);
        pki = List.copyOf(pki);
    }

    /** Plain public keys, no Rekor and no certificates (signing services, remotes' {@code verify_with}). */
    public static CosignTrust ofKeys(List<PublicKey> keys) {
        return new CosignTrust(keys.stream().map(k -> new KeyTrust(k, null)).toList(), List.of(), List.of());
    }

    /** The cosign, keyless and PKI entries among trusted keys; their material was validated when they were stored. */
    public static CosignTrust of(List<TrustedKey> trusted) {
        List<KeyTrust> keys = new ArrayList<>();
        List<FulcioTrust> fulcio = new ArrayList<>();
        List<PkiTrust> pki = new ArrayList<>();
        for (TrustedKey k : trusted) {
            switch (k.type()) {
                case TrustedKey.COSIGN -> keys.add(new KeyTrust(CosignSignatures.parsePublicKey(k.publicKey()), rekorKey(k)));
                case TrustedKey.KEYLESS -> fulcio.add(new FulcioTrust(k.fingerprint(), k.name(), certificates(k.fulcioCa()),
                        rekorKey(k), k.oidcIssuer(), k.subject()));
                case TrustedKey.PKI -> pki.add(new PkiTrust(k.fingerprint(), k.name(), certificates(k.caRoots()),
                        certificates(k.caIntermediates()), k.subject(), k.subjectHostname()));
                default -> {
                }
            }
        }
        return new CosignTrust(keys, fulcio, pki);
    }

    /** The plain public keys with the identities verdicts name them by (attestations are verified with these). */
    public List<Attestations.TrustedPublicKey> publicKeys() {
        return keys.stream().map(k -> new Attestations.TrustedPublicKey(
                CosignSignatures.keyIdentity(k.key()), k.key())).toList();
    }

    public boolean isEmpty() {
        return keys.isEmpty() && fulcio.isEmpty() && pki.isEmpty();
    }

    /** Both trusts together, as one {@code verify_with} list of inline keys and trusted-key hrefs. */
    public CosignTrust plus(CosignTrust other) {
        return new CosignTrust(concat(keys, other.keys), concat(fulcio, other.fulcio), concat(pki, other.pki));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * The verdict for a simple-signing layer whose signature annotation decoded to {@code signature}.
     */
    Verdict verify(UntrustedCosignSignature layer, byte[] signature, String expectedManifestDigest) {
        byte[] payload = layer.payload();
        Map<String, String> annotations = layer.annotations();
        List<Verdict> claims = new ArrayList<>();
        for (KeyTrust key : keys) {
            byKey(key, annotations, signature, payload, expectedManifestDigest).ifPresent(claims::add);
        }
        String certificate = annotations.get(CERTIFICATE_ANNOTATION);
        if (certificate != null) {
            for (FulcioTrust trust : fulcio) {
                claims.add(rejectionNamed(trust.name(), trust.identity(),
                        () -> byFulcio(trust, certificate, annotations, signature, payload, expectedManifestDigest)));
            }
            for (PkiTrust trust : pki) {
                claims.add(rejectionNamed(trust.name(), trust.identity(),
                        () -> byPki(trust, certificate, annotations.get(CHAIN_ANNOTATION), signature, payload, expectedManifestDigest)));
            }
        }
        return decide(claims, certificate != null);
    }

    private Verdict decide(List<Verdict> claims, boolean hasCertificate) {
        Optional<Verdict> valid = claims.stream().filter(Verdict::isValid).findFirst();
        if (valid.isPresent()) {
            return valid.get();
        }
        if (claims.size() == 1) {
            return claims.get(0);
        }
        if (!claims.isEmpty()) {
            return Verdict.invalid(null, "rejected by every trusted key that could vouch for it: "
                    + String.join("; ", claims.stream().map(Verdict::reason).toList()));
        }
        String reason = "the signature verifies with none of the " + keys.size() + " trusted keys: made by another key, or corrupted";
        return Verdict.unknownKey(hasCertificate && fulcio.isEmpty() && pki.isEmpty()
                ? reason + "; it carries a certificate, but no keyless or pki trust is configured" : reason);
    }

    /** A key claims the signatures it verifies; with a Rekor key, their SET must hold too. */
    private static Optional<Verdict> byKey(KeyTrust trust, Map<String, String> annotations, byte[] signature,
                                           byte[] payload, String expectedManifestDigest) {
        if (!CosignSignatures.verifiesWith(trust.key(), payload, signature)) {
            return Optional.empty();
        }
        String identity = CosignSignatures.keyIdentity(trust.key());
        if (trust.rekorKey() != null) {
            try {
                RekorSet.verify(trust.rekorKey(), annotations.get(RekorSet.ANNOTATION), trust.key().getEncoded(), signature, payload);
            } catch (InvalidSignatureException e) {
                return Optional.of(Verdict.invalid(identity, e.getMessage()));
            }
        }
        return Optional.of(CosignSignatures.checkPayload(payload, identity, expectedManifestDigest, null));
    }

    /**
     * containers/image's {@code verifyRekorFulcio}: the SET first (it dates the signature), then the chain at that
     * time, the OIDC issuer and e-mail, and only then the signature with the certificate's key.
     */
    private static Verdict byFulcio(FulcioTrust trust, String certificate, Map<String, String> annotations, byte[] signature,
                                    byte[] payload, String expectedManifestDigest) {
        byte[] certificateDer = SigningCertificates.singlePemBlock(certificate.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "public key or cert to be matched against publicKey in Rekor SET");
        Instant integratedTime = RekorSet.verify(trust.rekorKey(), annotations.get(RekorSet.ANNOTATION), certificateDer,
                signature, payload);
        List<X509Certificate> intermediates = SigningCertificates.chainIntermediates(annotations.get(CHAIN_ANNOTATION));
        X509Certificate leaf = SigningCertificates.leaf(certificate);
        SigningCertificates.requireChain(leaf, intermediates, trust.cas(), integratedTime);
        String issuer = SigningCertificates.fulcioIssuer(leaf);
        if (!issuer.equals(trust.oidcIssuer())) {
            throw new InvalidSignatureException("Unexpected Fulcio OIDC issuer \"" + issuer + "\"");
        }
        SigningCertificates.requireEmail(leaf, trust.subjectEmail());
        return signedByCertificate(leaf, trust.identity(), trust.subjectEmail() + " (" + issuer + ", Rekor time "
                + integratedTime + ")", signature, payload, expectedManifestDigest);
    }

    /** containers/image's {@code verifyPKI}: e-mail, hostname, then the chain now, then the signature. */
    private static Verdict byPki(PkiTrust trust, String certificate, String chain, byte[] signature, byte[] payload,
                                 String expectedManifestDigest) {
        List<X509Certificate> intermediates = new ArrayList<>(trust.intermediates());
        intermediates.addAll(SigningCertificates.chainIntermediates(chain));
        X509Certificate leaf = SigningCertificates.leaf(certificate);
        if (trust.subjectEmail() != null) {
            SigningCertificates.requireEmail(leaf, trust.subjectEmail());
        }
        if (trust.subjectHostname() != null) {
            SigningCertificates.requireHostname(leaf, trust.subjectHostname());
        }
        SigningCertificates.requireChain(leaf, intermediates, trust.roots(), Instant.now());
        String signer = trust.subjectEmail() != null ? trust.subjectEmail() : trust.subjectHostname();
        return signedByCertificate(leaf, trust.identity(), signer + " (" + leaf.getSubjectX500Principal() + ")", signature,
                payload, expectedManifestDigest);
    }

    private static Verdict signedByCertificate(X509Certificate leaf, String identity, String signer, byte[] signature,
                                               byte[] payload, String expectedManifestDigest) {
        if (!CosignSignatures.verifiesWith(leaf.getPublicKey(), payload, signature)) {
            return Verdict.invalid(identity, "cryptographic signature verification failed: the signature does not verify "
                    + "with the certificate's public key");
        }
        return CosignSignatures.checkPayload(payload, identity, expectedManifestDigest, signer);
    }

    /** Runs a certificate check; a rejection becomes an invalid verdict naming the trusted key. */
    private static Verdict rejectionNamed(String name, String identity, java.util.function.Supplier<Verdict> check) {
        try {
            return check.get();
        } catch (InvalidSignatureException e) {
            return Verdict.invalid(identity, "trusted key '" + name + "': " + e.getMessage());
        }
    }

    private static ECPublicKey rekorKey(TrustedKey key) {
        return key.rekorPublicKey() == null ? null : (ECPublicKey) CosignSignatures.parsePublicKey(key.rekorPublicKey());
    }

    private static List<X509Certificate> certificates(String pem) {
        return pem == null ? List.of() : SigningCertificates.parsePem(pem, "stored CA certificates");
    }
}
