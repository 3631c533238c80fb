package io.sigil.signature;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A key Sigil trusts when it verifies signatures.
 *
 * @param type            {@code openpgp}, {@code cosign}, {@code keyless} or {@code pki}
 * @param fingerprint     the identity verdicts name: for OpenPGP the upper-case V4 fingerprint of the primary key, for
 *                        cosign the upper-case hex SHA-256 of the DER public key, for keyless and PKI
 *                        {@link #materialFingerprint} of the trust material
 * @param subkeys         OpenPGP only: every usable key of the ring (the primary key first), so that signatures by
 *                        subkeys resolve to {@code fingerprint}
 * @param publicKey       armoured OpenPGP key or PEM public key; null for keyless and PKI
 * @param fulcioCa        keyless only: PEM CA certificates of the Fulcio instance
 * @param rekorPublicKey  keyless: PEM ECDSA public key of the Rekor log; cosign, optional: the Rekor log whose signed
 *                        entry timestamp every signature by this key must carry
 * @param oidcIssuer      keyless only: the OIDC issuer the Fulcio certificate must name
 * @param subject         keyless and PKI: the e-mail address the certificate's SAN must include (optional for PKI)
 * @param caRoots         PKI only: PEM root CA certificates
 * @param caIntermediates PKI only, optional: PEM intermediate CA certificates
 * @param subjectHostname PKI only, optional: the hostname the certificate must be valid for
 * @param trustedIdentities notation only: {@code *} or the X.509 subjects trusted ({@code caRoots} is the trust store)
 * @param verificationLevel notation only: strict, permissive or audit
 * @param trustedRoot       sigstore only: the trusted_root.json bundles are verified with
 */
public record TrustedKey(UUID id, OffsetDateTime created, String name, String type, String fingerprint,
                         List<Subkey> subkeys, String publicKey, String fulcioCa, String rekorPublicKey,
                         String oidcIssuer, String subject, String caRoots, String caIntermediates,
                         String subjectHostname, List<String> trustedIdentities, String verificationLevel,
                         String trustedRoot) {

    public static final String NOTATION = "notation";
    public static final String SIGSTORE = "sigstore";
    public static final String OPENPGP = "openpgp";
    public static final String COSIGN = "cosign";
    public static final String KEYLESS = "keyless";
    public static final String PKI = "pki";
    public static final String COLLECTION = "/pulp/api/v3/trusted-keys/";

    /** @param keyId the 16 upper-case hex digit key ID, as signatures name their issuer */
    public record Subkey(String fingerprint, String keyId) {
    }

    public String href() {
        return COLLECTION + id + "/";
    }

    /**
     * The identity of keyless and PKI trust, which has no single public key: upper-case hex SHA-256 of the type and
     * every material field, newline-separated, absent ones empty. Certificates count by their DER (a field is the
     * comma-separated SHA-256 of its certificates, in order) and the Rekor key by its SubjectPublicKeyInfo's
     * ({@link CosignSignatures#keyIdentity}), so PEM texts that differ only in layout name the same key.
     * Migration 017 computes the same in SQL for keys stored before.
     */
    static String materialFingerprint(String type, String fulcioCa, String caRoots, String caIntermediates,
                                      String rekorPublicKey, String oidcIssuer, String subject, String subjectHostname) {
        String rekor = rekorPublicKey == null ? "" : CosignSignatures.keyIdentity(CosignSignatures.parsePublicKey(rekorPublicKey));
        String material = String.join("\n", type, certificateDigests(fulcioCa), certificateDigests(caRoots),
                certificateDigests(caIntermediates), rekor, orEmpty(oidcIssuer), orEmpty(subject), orEmpty(subjectHostname));
        return sha256(material.getBytes(StandardCharsets.UTF_8));
    }

    private static String certificateDigests(String pem) {
        if (pem == null) {
            return "";
        }
        return SigningCertificates.parsePem(pem, "trusted certificates").stream()
                .map(TrustedKey::der).map(TrustedKey::sha256).collect(Collectors.joining(","));
    }

    private static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate has its encoding", e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
