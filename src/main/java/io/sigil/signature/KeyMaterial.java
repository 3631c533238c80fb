package io.sigil.signature;

import io.sigil.common.ApiException;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Checks and normalises key material given to the trusted-key store, so that a bad key is a 400 naming the problem
 * and never a verification that silently trusts nothing.
 */
public final class KeyMaterial {

    private static final int MIN_RSA_BITS = 2048;

    /** What a validated key contributes to its row. */
    public record Validated(String fingerprint, List<TrustedKey.Subkey> subkeys, String publicKey, String fulcioCa,
                     String rekorPublicKey, String oidcIssuer, String subject, String caRoots, String caIntermediates,
                     String subjectHostname, String trustedIdentities, String verificationLevel, String trustedRoot) {

        Validated(String fingerprint, List<TrustedKey.Subkey> subkeys, String publicKey, String fulcioCa,
                  String rekorPublicKey, String oidcIssuer, String subject, String caRoots, String caIntermediates,
                  String subjectHostname, String trustedIdentities, String verificationLevel) {
            this(fingerprint, subkeys, publicKey, fulcioCa, rekorPublicKey, oidcIssuer, subject, caRoots, caIntermediates,
                    subjectHostname, trustedIdentities, verificationLevel, null);
        }

        Validated(String fingerprint, List<TrustedKey.Subkey> subkeys, String publicKey, String fulcioCa,
                  String rekorPublicKey, String oidcIssuer, String subject, String caRoots, String caIntermediates,
                  String subjectHostname) {
            this(fingerprint, subkeys, publicKey, fulcioCa, rekorPublicKey, oidcIssuer, subject, caRoots, caIntermediates,
                    subjectHostname, null, null);
        }

        /** Keyless and PKI trust: no public key, named by {@link TrustedKey#materialFingerprint}. */
        static Validated certificateTrust(String type, String fulcioCa, String rekorPublicKey, String oidcIssuer,
                                          String subject, String caRoots, String caIntermediates, String subjectHostname) {
            return new Validated(TrustedKey.materialFingerprint(type, fulcioCa, caRoots, caIntermediates, rekorPublicKey,
                    oidcIssuer, subject, subjectHostname), List.of(), null, fulcioCa, rekorPublicKey, oidcIssuer, subject,
                    caRoots, caIntermediates, subjectHostname);
        }
    }

    private KeyMaterial() {
    }

    /** One OpenPGP public key, armoured or binary (in JSON: base64); stored re-armoured. */
    public static Validated openPgp(String text) {
        byte[] blob = openPgpBytes(required("public_key", text));
        OpenPgpKeyring ring;
        try {
            ring = OpenPgpKeyring.of(blob);
        } catch (IllegalArgumentException e) {
            throw ApiException.field("public_key", e.getMessage());
        }
        if (ring.primaryFingerprints().size() != 1) {
            throw ApiException.field("public_key", "give exactly one OpenPGP key, not " + ring.primaryFingerprints().size());
        }
        String primary = ring.primaryFingerprints().iterator().next();
        List<TrustedKey.Subkey> subkeys = ring.keys().stream()
                .sorted((a, b) -> Boolean.compare(a.isSubkey(), b.isSubkey()))
                .map(k -> new TrustedKey.Subkey(k.fingerprint(), String.format(Locale.ROOT, "%016X", k.publicKey().getKeyID())))
                .toList();
        return new Validated(primary, subkeys, new String(ring.armored(primary), StandardCharsets.US_ASCII),
                null, null, null, null, null, null, null);
    }

    /**
     * A cosign public key: ECDSA P-256 or RSA of at least 2048 bits, PEM; with a Rekor key, its signatures must also
     * carry a Rekor signed entry timestamp (containers/image's {@code keyPath} with {@code rekorPublicKeyPath}).
     */
    static Validated cosign(String pem, String rekorKey) {
        PublicKey key = publicKey("public_key", required("public_key", pem));
        if (key instanceof ECPublicKey && !isP256(key)) {
            throw ApiException.field("public_key", "ECDSA keys must be on curve P-256 (secp256r1)");
        }
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw ApiException.field("public_key", "RSA keys must have at least " + MIN_RSA_BITS + " bits");
        }
        String rekor = rekorKey == null || rekorKey.isBlank() ? null : pem(rekorKey(rekorKey));
        return new Validated(CosignSignatures.keyIdentity(key), List.of(), pem(key), null, rekor, null, null, null, null, null);
    }

    /** Keyless (Fulcio + Rekor) trust: CA certificates, an ECDSA Rekor key, and the OIDC identity to require. */
    static Validated keyless(String fulcioCa, String rekorKey, String oidcIssuer, String subject) {
        requireCaCertificates("fulcio_ca", required("fulcio_ca", fulcioCa));
        PublicKey rekor = rekorKey(required("rekor_public_key", rekorKey));
        requireUrl(required("oidc_issuer", oidcIssuer));
        return Validated.certificateTrust(TrustedKey.KEYLESS, fulcioCa.trim() + "\n", pem(rekor), oidcIssuer.trim(),
                required("subject", subject).trim(), null, null, null);
    }

    /**
     * PKI trust (containers/image's {@code pki}): root CA certificates, optional intermediates, and the e-mail and/or
     * hostname the signing certificate must name. No Rekor: the chain is checked at verification time.
     */
    static Validated pki(String caRoots, String caIntermediates, String subjectEmail, String subjectHostname) {
        requireCaCertificates("ca_roots", required("ca_roots", caRoots));
        String intermediates = caIntermediates == null || caIntermediates.isBlank() ? null : caIntermediates.trim() + "\n";
        if (intermediates != null) {
            requireCaCertificates("ca_intermediates", intermediates);
        }
        String email = subjectEmail == null || subjectEmail.isBlank() ? null : subjectEmail.trim();
        String hostname = subjectHostname == null || subjectHostname.isBlank() ? null : subjectHostname.trim();
        if (hostname != null && !SigningCertificates.isHostnameOrAddress(hostname)) {
            throw ApiException.field("subject_hostname", "'" + hostname + "' is neither a hostname (dot-separated labels "
                    + "of letters, digits, '-' and '_', no wildcard) nor an IP address");
        }
        if (email == null && hostname == null) {
            throw ApiException.field("subject", "give the e-mail (subject) and/or the hostname (subject_hostname) "
                    + "the signing certificate must name");
        }
        return Validated.certificateTrust(TrustedKey.PKI, null, null, null, email, caRoots.trim() + "\n", intermediates,
                hostname);
    }

    /**
     * Notary Project trust, as a notation trust policy names it: a trust store (PEM certificates: roots, or the
     * self-signed signing certificates themselves, as notation's {@code ca} stores allow), the trusted identities
     * ({@code *} or {@code x509.subject:<DN>}) and the verification level (strict unless said otherwise).
     */
    static Validated notation(String trustStore, List<String> trustedIdentities, String verificationLevel) {
        String roots = required("ca_roots", trustStore).trim() + "\n";
        try {
            if (SigningCertificates.parsePem(roots, "trusted certificates").isEmpty()) {
                throw ApiException.field("ca_roots", "no certificate found");
            }
        } catch (InvalidSignatureException e) {
            throw ApiException.field("ca_roots", "not PEM X.509 certificates: " + e.getMessage());
        }
        if (trustedIdentities == null || trustedIdentities.isEmpty()) {
            throw ApiException.field("trusted_identities", "give * or the X.509 subjects to trust (x509.subject:CN=...)");
        }
        for (String identity : trustedIdentities) {
            String trimmed = identity == null ? "" : identity.trim();
            String dn = trimmed.regionMatches(true, 0, "x509.subject:", 0, 13) ? trimmed.substring(13).trim() : trimmed;
            if (!trimmed.equals("*") && NotarySignatures.attributes(dn).isEmpty()) {
                throw ApiException.field("trusted_identities", "'" + identity + "' is neither * nor an X.509 subject");
            }
        }
        String level;
        try {
            level = NotaryTrust.Level.parse(verificationLevel).lowerCase();
        } catch (IllegalArgumentException e) {
            throw ApiException.field("verification_level", e.getMessage());
        }
        String identities = String.join("\n", trustedIdentities.stream().map(String::trim).toList());
        String fingerprint = TrustedKey.materialFingerprint(TrustedKey.NOTATION, null, roots, null, null, null,
                level + "\n" + identities, null);
        return new Validated(fingerprint, List.of(), null, null, null, null, null, roots, null, null, identities, level);
    }

    /**
     * Sigstore bundle trust: a trusted root ({@code trusted_root.json}) and either a public key (bundles signed with a
     * key) or the identity a Fulcio certificate must name (OIDC issuer and SAN subject).
     */
    static Validated sigstore(String trustedRoot, String pem, String oidcIssuer, String subject) {
        try {
            SigstoreTrustedRoot.parse(required("trusted_root", trustedRoot).getBytes(StandardCharsets.UTF_8));
        } catch (SignatureFormatError | IllegalArgumentException e) {
            throw ApiException.field("trusted_root", e.getMessage());
        }
        boolean key = pem != null && !pem.isBlank();
        String publicKey = key ? pem(publicKey("public_key", pem)) : null;
        if (!key) {
            requireUrl(required("oidc_issuer", oidcIssuer));
            required("subject", subject);
        } else if (oidcIssuer != null || subject != null) {
            throw ApiException.field("public_key", "give either public_key or oidc_issuer and subject, not both");
        }
        String issuer = key ? null : oidcIssuer.trim();
        String who = key ? null : subject.trim();
        String fingerprint = TrustedKey.materialFingerprint(TrustedKey.SIGSTORE, null, null, null, null, issuer, who, null);
        fingerprint = sha256Hex(fingerprint + "\n" + (key ? CosignSignatures.keyIdentity(publicKey("public_key", pem)) : "")
                + "\n" + trustedRoot.trim());
        return new Validated(fingerprint, List.of(), publicKey, null, null, issuer, who, null, null, null, null, null,
                trustedRoot.trim());
    }

    private static String sha256Hex(String text) {
        try {
            return java.util.HexFormat.of().withUpperCase().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rekor signs with ECDSA; containers/image refuses other keys. */
    private static PublicKey rekorKey(String pem) {
        PublicKey rekor = publicKey("rekor_public_key", pem);
        if (!(rekor instanceof ECPublicKey)) {
            throw ApiException.field("rekor_public_key", "Rekor keys must be ECDSA, not " + rekor.getAlgorithm());
        }
        return rekor;
    }

    private static byte[] openPgpBytes(String text) {
        if (text.contains("-----BEGIN PGP")) {
            return text.getBytes(StandardCharsets.US_ASCII);
        }
        try {
            return Base64.getMimeDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.field("public_key", "neither an armoured OpenPGP key nor base64 of a binary one");
        }
    }

    private static PublicKey publicKey(String field, String pem) {
        try {
            return CosignSignatures.parsePublicKey(pem);
        } catch (IllegalArgumentException e) {
            throw ApiException.field(field, e.getMessage());
        }
    }

    private static boolean isP256(PublicKey key) {
        ASN1Primitive curve = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm().getParameters().toASN1Primitive();
        return SECObjectIdentifiers.secp256r1.equals(curve);
    }

    private static void requireCaCertificates(String field, String pem) {
        Collection<? extends Certificate> certificates;
        try {
            certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw ApiException.field(field, "not PEM X.509 certificates: " + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw ApiException.field(field, "no certificate found");
        }
        for (Certificate certificate : certificates) {
            X509Certificate x509 = (X509Certificate) certificate;
            if (x509.getBasicConstraints() < 0) {
                throw ApiException.field(field, "certificate " + x509.getSubjectX500Principal() + " is not a CA certificate");
            }
        }
    }

    private static void requireUrl(String url) {
        try {
            URI uri = new URI(url.trim());
            if ((!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw ApiException.field("oidc_issuer", "must be an http(s) URL such as https://accounts.google.com");
            }
        } catch (URISyntaxException e) {
            throw ApiException.field("oidc_issuer", "not a URL: " + e.getMessage());
        }
    }

    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    public static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.field(field, "this field is required");
        }
        return value;
    }
}
