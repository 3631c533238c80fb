package io.sigil.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * Verifies Sigstore bundles (v0.1 to v0.3) as sigstore-go does for an artifact digest: the transparency-log entry
 * (SET and/or Merkle inclusion proof with checkpoint, by a log of the trusted root), the Fulcio certificate chain at
 * the log's integrated time with the expected identity (OIDC issuer and SAN), or a trusted public key, then the
 * content: a DSSE envelope (signature over the PAE, the log entry recording that envelope, an in-toto Statement
 * naming the artifact) or a message signature (digest equal to the artifact's, signature over it, the log entry
 * recording both). For an image the artifact digest is the manifest's. SCTs and RFC 3161 timestamps are not checked.
 */
public final class SigstoreBundles {

    public static final String MEDIA_TYPE_V03 = "application/vnd.dev.sigstore.bundle.v0.3+json";
    private static final Set<String> MEDIA_TYPES = Set.of(MEDIA_TYPE_V03,
            "application/vnd.dev.sigstore.bundle+json;version=0.1", "application/vnd.dev.sigstore.bundle+json;version=0.2",
            "application/vnd.dev.sigstore.bundle+json;version=0.3");
    private static final String ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";
    private static final String ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";
    private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a bundle must be signed by: a public key, or a certificate naming {@code issuer} and {@code subject} (SAN
     * e-mail or URI).
     *
     * @param identity what verdicts name this trust by
     */
    public record Expected(String identity, SigstoreTrustedRoot root, PublicKey key, String issuer, String subject) {
    }

    private SigstoreBundles() {
    }

    public static boolean isBundleMediaType(String mediaType) {
        return mediaType != null && MEDIA_TYPES.contains(mediaType);
    }

    /** @param artifactDigest {@code <algorithm>:<hex>}, e.g. the image manifest's {@code sha256:…} */
    public static Check verify(byte[] untrustedBundle, Expected expected, String artifactDigest) {
        try {
            return verifyParsed(JSON.readTree(untrustedBundle), expected, artifactDigest);
        } catch (IOException e) {
            return Check.invalid(null, "the bundle is not JSON: " + e.getMessage());
        } catch (SignatureFormatError | IllegalArgumentException | NullPointerException e) {
            return Check.invalid(null, "the bundle is malformed: " + e.getMessage());
        }
    }

    private static Check verifyParsed(JsonNode bundle, Expected expected, String artifactDigest) throws IOException {
        if (!isBundleMediaType(bundle.path("mediaType").asText(null))) {
            return Check.invalid(null, "not a Sigstore bundle: media type " + bundle.path("mediaType").asText(null));
        }
        JsonNode material = bundle.path("verificationMaterial");
        JsonNode entry = material.path("tlogEntries").path(0);
        if (entry.isMissingNode()) {
            return Check.invalid(null, "the bundle has no transparency-log entry");
        }
        SigstoreTrustedRoot.Log log = expected.root().log(Base64.getDecoder().decode(entry.path("logId").path("keyId").asText()))
                .orElse(null);
        if (log == null) {
            return Check.unknownKey("the bundle's transparency log is not in the trusted root");
        }
        byte[] body = Base64.getDecoder().decode(entry.path("canonicalizedBody").asText());
        String logProblem = logProblem(entry, body, log);
        if (logProblem != null) {
            return Check.invalid(expected.identity(), "transparency log: " + logProblem);
        }
        Instant integrated = Instant.ofEpochSecond(Long.parseLong(entry.path("integratedTime").asText()));
        X509Certificate leaf = leaf(material);
        PublicKey signingKey;
        if (leaf != null) {
            if (expected.key() != null) {
                return Check.unknownKey("the bundle is signed with a certificate, not with the trusted key");
            }
            String chainProblem = chainProblem(leaf, expected.root(), integrated);
            if (chainProblem != null) {
                return Check.unknownKey("the signing certificate does not chain to a trusted Fulcio CA: " + chainProblem);
            }
            String identityProblem = identityProblem(leaf, expected);
            if (identityProblem != null) {
                return Check.invalid(expected.identity(), identityProblem);
            }
            signingKey = leaf.getPublicKey();
        } else {
            if (expected.key() == null) {
                return Check.unknownKey("the bundle is signed with a key, and only certificate identities are trusted");
            }
            signingKey = expected.key();
        }
        JsonNode tlogBody = JSON.readTree(body);
        if (bundle.hasNonNull("dsseEnvelope")) {
            return dsse(DsseEnvelope.of(bundle.get("dsseEnvelope")), signingKey, tlogBody, expected, artifactDigest);
        }
        if (bundle.hasNonNull("messageSignature")) {
            return messageSignature(bundle.get("messageSignature"), signingKey, tlogBody, expected, artifactDigest);
        }
        return Check.invalid(null, "the bundle has neither a DSSE envelope nor a message signature");
    }

    private static String logProblem(JsonNode entry, byte[] body, SigstoreTrustedRoot.Log log) {
        boolean promise = entry.hasNonNull("inclusionPromise");
        boolean proof = entry.hasNonNull("inclusionProof");
        if (!promise && !proof) {
            return "the entry has neither a signed entry timestamp nor an inclusion proof";
        }
        String problem = promise ? TransparencyLog.setProblem(entry, log) : null;
        return problem != null ? problem : proof ? TransparencyLog.inclusionProblem(entry, body, log) : null;
    }

    private static Check dsse(DsseEnvelope envelope, PublicKey key, JsonNode tlogBody, Expected expected, String artifactDigest) {
        if (!envelope.signedBy(key)) {
            return Check.invalid(expected.identity(), "the DSSE envelope's signature does not verify");
        }
        String logged = dsseLogProblem(envelope, tlogBody);
        if (logged != null) {
            return Check.invalid(expected.identity(), logged);
        }
        if (!envelope.isInToto()) {
            return Check.invalid(expected.identity(), "the DSSE payload is " + envelope.payloadType() + ", not an in-toto Statement");
        }
        return Attestations.aboutManifest(envelope.payload(), expected.identity(), artifactDigest);
    }

    /** The log entry must be for this envelope: same payload hash and one of its signatures (dsse 0.0.1, intoto 0.0.2). */
    private static String dsseLogProblem(DsseEnvelope envelope, JsonNode body) {
        String kind = body.path("kind").asText();
        JsonNode spec = body.path("spec");
        String payloadHash = HexFormat.of().formatHex(TransparencyLog.sha256(envelope.payload()));
        List<byte[]> logged = new ArrayList<>();
        String loggedHash;
        if (kind.equals("dsse")) {
            loggedHash = spec.path("payloadHash").path("value").asText();
            spec.path("signatures").forEach(s -> logged.add(Base64.getDecoder().decode(s.path("signature").asText())));
        } else if (kind.equals("intoto")) {
            JsonNode content = spec.path("content");
            loggedHash = content.path("payloadHash").path("value").asText();
            content.path("envelope").path("signatures").forEach(s -> logged.add(Base64.getMimeDecoder().decode(
                    new String(Base64.getDecoder().decode(s.path("sig").asText()), StandardCharsets.US_ASCII))));
        } else {
            return "the log entry is of kind " + kind + ", not dsse or intoto";
        }
        if (!payloadHash.equalsIgnoreCase(loggedHash)) {
            return "the DSSE envelope does not match the log entry (payload hash)";
        }
        boolean same = envelope.signatures().stream().anyMatch(s -> logged.stream().anyMatch(l -> Arrays.equals(s, l)));
        return same ? null : "the DSSE signature does not match the one in the log entry";
    }

    private static Check messageSignature(JsonNode message, PublicKey key, JsonNode tlogBody, Expected expected,
                                          String artifactDigest) {
        String algorithm = message.path("messageDigest").path("algorithm").asText();
        byte[] digest = Base64.getDecoder().decode(message.path("messageDigest").path("digest").asText());
        byte[] signature = Base64.getDecoder().decode(message.path("signature").asText());
        if (!"SHA2_256".equals(algorithm) || !artifactDigest.startsWith("sha256:")) {
            return Check.invalid(expected.identity(), "message digest " + algorithm + " cannot be compared with " + artifactDigest);
        }
        String hex = HexFormat.of().formatHex(digest);
        if (!artifactDigest.substring(7).toLowerCase(Locale.ROOT).equals(hex)) {
            return Check.invalid(expected.identity(), "the bundle's message digest sha256:" + hex + " is not " + artifactDigest);
        }
        if (!verifiesPrehashed(key, digest, signature)) {
            return Check.invalid(expected.identity(), "the message signature does not verify");
        }
        JsonNode spec = tlogBody.path("spec");
        if (!"hashedrekord".equals(tlogBody.path("kind").asText())
                || !hex.equalsIgnoreCase(spec.path("data").path("hash").path("value").asText())
                || !Arrays.equals(signature, Base64.getDecoder().decode(spec.path("signature").path("content").asText()))) {
            return Check.invalid(expected.identity(), "the message signature does not match the log entry");
        }
        return Check.valid(expected.identity(), "message signature by " + expected.identity() + " for " + artifactDigest, null);
    }

    /** ECDSA over a SHA-256 digest given as is (the artifact itself is not needed); RSA PKCS#1 v1.5 likewise. */
    private static boolean verifiesPrehashed(PublicKey key, byte[] digest, byte[] signature) {
        try {
            Signature verifier;
            byte[] input = digest;
            if (key instanceof ECPublicKey) {
                verifier = Signature.getInstance("NONEwithECDSA");
            } else {
                verifier = Signature.getInstance("NONEwithRSA");
                input = new org.bouncycastle.asn1.x509.DigestInfo(new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                        org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256,
                        org.bouncycastle.asn1.DERNull.INSTANCE), digest).getEncoded();
            }
            verifier.initVerify(key);
            verifier.update(input);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IOException e) {
            return false;
        }
    }

    /** The signing certificate: v0.3 {@code certificate}, earlier {@code x509CertificateChain} (leaf first); null for a key. */
    private static X509Certificate leaf(JsonNode material) {
        JsonNode raw = material.path("certificate").path("rawBytes");
        if (raw.isMissingNode()) {
            raw = material.path("x509CertificateChain").path("certificates").path(0).path("rawBytes");
        }
        if (raw.isMissingNode()) {
            return null;
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(raw.asText())));
        } catch (Exception e) {
            throw new SignatureFormatError("the signing certificate does not parse");
        }
    }

    /** PKIX at the integrated time against each Fulcio chain of the trusted root (its last certificate the anchor). */
    private static String chainProblem(X509Certificate leaf, SigstoreTrustedRoot root, Instant at) {
        String last = "the trusted root has no certificate authority";
        for (List<X509Certificate> ca : root.certificateAuthorities()) {
            List<X509Certificate> path = new ArrayList<>();
            path.add(leaf);
            path.addAll(ca.subList(0, ca.size() - 1));
            try {
                PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca.get(ca.size() - 1), null)));
                parameters.setRevocationEnabled(false);
                parameters.setDate(Date.from(at));
                CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path),
                        parameters);
                List<String> usages = leaf.getExtendedKeyUsage();
                return usages != null && usages.contains(CODE_SIGNING) ? null : "the certificate is not for code signing";
            } catch (Exception e) {
                last = e.getMessage();
            }
        }
        return last;
    }

    private static String identityProblem(X509Certificate leaf, Expected expected) {
        String issuer = issuer(leaf);
        if (expected.issuer() == null || !expected.issuer().equals(issuer)) {
            return "the certificate's OIDC issuer " + issuer + " is not " + expected.issuer();
        }
        List<String> names = subjectAlternativeNames(leaf);
        if (expected.subject() == null || !names.contains(expected.subject())) {
            return "the certificate names " + names + ", not " + expected.subject();
        }
        return null;
    }

    /** Fulcio's issuer extensions: .1.8 (DER string) or the deprecated .1.1 (raw bytes). */
    static String issuer(X509Certificate certificate) {
        try {
            byte[] v2 = certificate.getExtensionValue(ISSUER_V2);
            if (v2 != null) {
                ASN1Primitive value = JcaX509ExtensionUtils.parseExtensionValue(v2);
                return value instanceof ASN1String s ? s.getString() : null;
            }
            byte[] v1 = certificate.getExtensionValue(ISSUER_V1);
            return v1 == null ? null : new String(ASN1OctetString.getInstance(v1).getOctets(), StandardCharsets.UTF_8);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static List<String> subjectAlternativeNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> all = certificate.getSubjectAlternativeNames();
            if (all != null) {
                all.forEach(n -> names.add(String.valueOf(n.get(1))));
            }
        } catch (java.security.cert.CertificateParsingException e) {
            return names;
        }
        return names;
    }
}
