package io.sigil.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Verifies Notary Project signatures as notation does (trust-store-trust-policy.md, "Signature Verification"):
 * integrity (envelope, signature over the signing input with the leaf's key, algorithm matching the key, payload
 * {@code targetArtifact} equal to the manifest it is attached to), authenticity (chain to a trust store, leaf subject
 * among the trusted identities), authentic timestamp and expiry, each enforced or only logged by the trust's level.
 * Integrity failures are always invalid; a chain that reaches no trust store is {@code unknown_key} (strict and
 * permissive) — made by no trusted key.
 */
public final class NotarySignatures {

    /** The OCI descriptor of the manifest a signature is attached to (its referrer's subject). */
    public record Target(String mediaType, String digest, long size) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private NotarySignatures() {
    }

    public static Check verify(String envelopeMediaType, byte[] untrustedEnvelope, Target target, List<NotaryTrust> trusts,
                               Instant now) {
        NotaryEnvelope envelope;
        try {
            envelope = NotaryEnvelope.parse(envelopeMediaType, untrustedEnvelope);
        } catch (SignatureFormatError e) {
            return Check.invalid(null, "integrity validation failed: " + e.getMessage());
        }
        String integrity = integrityProblem(envelope, target);
        if (integrity != null) {
            return Check.invalid(null, "integrity validation failed: " + integrity);
        }
        if (trusts.isEmpty()) {
            return Check.unknownKey("no notation trust store is trusted");
        }
        Check best = null;
        for (NotaryTrust trust : trusts) {
            Check check = underTrust(envelope, trust, now);
            if (check.isValid()) {
                return check;
            }
            if (best == null || best.outcome() == Check.Outcome.UNKNOWN_KEY) {
                best = check;
            }
        }
        return best;
    }

    /** Null when the envelope is intact and signs {@code target}, else what is wrong. */
    static String integrityProblem(NotaryEnvelope envelope, Target target) {
        X509Certificate leaf = envelope.chain().get(0);
        PublicKey key = leaf.getPublicKey();
        NotaryEnvelope.Algorithm algorithm = envelope.algorithm();
        if (!keyFits(key, algorithm)) {
            return "algorithm " + algorithm + " does not match the signing certificate's " + key.getAlgorithm() + " key";
        }
        boolean verifies = algorithm.rsaPss
                ? PublicKeySignatures.rsaPss(key, algorithm.shaBits, envelope.signingInput(), envelope.signature())
                : PublicKeySignatures.ecdsaP1363(key, algorithm.shaBits, envelope.signingInput(), envelope.signature());
        if (!verifies) {
            return "the signature does not verify with the signing certificate's key";
        }
        return payloadProblem(envelope.payload(), target);
    }

    private static boolean keyFits(PublicKey key, NotaryEnvelope.Algorithm algorithm) {
        if (algorithm.rsaPss) {
            return key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() == algorithm.keyBits;
        }
        return key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == algorithm.keyBits;
    }

    private static String payloadProblem(byte[] payload, Target target) {
        JsonNode artifact;
        try {
            artifact = JSON.readTree(payload).path("targetArtifact");
        } catch (IOException | NullPointerException e) {
            return "the payload is not JSON";
        }
        if (!artifact.isObject()) {
            return "the payload has no targetArtifact";
        }
        String digest = artifact.path("digest").asText(null);
        String mediaType = artifact.path("mediaType").asText(null);
        long size = artifact.path("size").asLong(-1);
        if (!target.digest().equals(digest) || !target.mediaType().equals(mediaType) || target.size() != size) {
            return "the signed targetArtifact (" + mediaType + ", " + digest + ", " + size + " bytes) is not the manifest "
                    + "it is attached to (" + target.mediaType() + ", " + target.digest() + ", " + target.size() + " bytes)";
        }
        return null;
    }

    /** Authenticity, then the authentic timestamp and expiry, as {@code trust}'s level enforces or logs them. */
    private static Check underTrust(NotaryEnvelope envelope, NotaryTrust trust, Instant now) {
        NotaryTrust.Level level = trust.level();
        List<String> logged = new ArrayList<>();
        Instant signedAt = envelope.authenticTime() != null ? envelope.authenticTime() : envelope.signingTime();
        String chainProblem = chainProblem(envelope.chain(), trust.roots(), signedAt);
        if (chainProblem != null) {
            if (level.enforcesAuthenticity()) {
                return Check.unknownKey("authenticity validation failed: " + chainProblem);
            }
            logged.add(chainProblem);
        } else if (!identityTrusted(envelope.chain().get(0), trust.identities())) {
            String problem = "signing certificate subject " + envelope.chain().get(0).getSubjectX500Principal().getName()
                    + " does not match the X.509 trusted identities";
            if (level.enforcesAuthenticity()) {
                return Check.invalid(trust.identity(), "authenticity validation failed: " + problem);
            }
            logged.add(problem);
        }
        String timestampProblem = timestampProblem(envelope, now);
        if (timestampProblem != null) {
            if (level.enforcesTimeChecks()) {
                return Check.invalid(trust.identity(), "authenticTimestamp validation failed: " + timestampProblem);
            }
            logged.add(timestampProblem);
        }
        if (envelope.expiry() != null && !now.isBefore(envelope.expiry())) {
            String problem = "digital signature has expired on " + envelope.expiry();
            if (level.enforcesTimeChecks()) {
                return Check.invalid(trust.identity(), "expiry validation failed: " + problem);
            }
            logged.add(problem);
        }
        String signer = envelope.chain().get(0).getSubjectX500Principal().getName();
        return Check.valid(trust.identity(), "signed by " + signer + " (Notary Project, " + envelope.signingScheme()
                + "), verified " + level.lowerCase() + " under trusted key " + trust.identity()
                + (logged.isEmpty() ? "" : "; logged: " + String.join("; ", logged)), null);
    }

    /**
     * notary.x509 without a timestamp countersignature: every certificate must be valid now (no authentic time proves
     * otherwise); notary.x509.signingAuthority: the chain was checked at the authentic signing time already.
     */
    private static String timestampProblem(NotaryEnvelope envelope, Instant now) {
        if (!NotaryEnvelope.SCHEME_X509.equals(envelope.signingScheme())) {
            return null;
        }
        for (X509Certificate certificate : envelope.chain()) {
            try {
                certificate.checkValidity(Date.from(now));
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                return "certificate " + certificate.getSubjectX500Principal().getName() + " is not valid now (valid "
                        + certificate.getNotBefore().toInstant() + " to " + certificate.getNotAfter().toInstant()
                        + ") and no timestamp proves the signing time";
            }
        }
        return null;
    }

    /** Null when the chain leads to one of {@code roots} at {@code at} (PKIX, no revocation), else why not. */
    static String chainProblem(List<X509Certificate> chain, List<X509Certificate> roots, Instant at) {
        if (roots.isEmpty()) {
            return "the trust store is empty";
        }
        Set<TrustAnchor> anchors = new HashSet<>();
        roots.forEach(r -> anchors.add(new TrustAnchor(r, null)));
        List<X509Certificate> path = chain.stream().filter(c -> !roots.contains(c)).toList();
        try {
            if (path.isEmpty()) {
                chain.get(0).checkValidity(Date.from(at));
                return null;
            }
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path),
                    parameters);
            return null;
        } catch (Exception e) {
            return "the signature's certificate chain does not contain any trusted certificate (" + e.getMessage() + ")";
        }
    }

    /** notation's rule: every attribute of a trusted subject must be in the leaf's subject with the same value. */
    static boolean identityTrusted(X509Certificate leaf, List<String> identities) {
        Map<String, String> subject = attributes(leaf.getSubjectX500Principal().getName());
        for (String identity : identities) {
            String trimmed = identity.trim();
            if (trimmed.equals("*")) {
                return true;
            }
            if (trimmed.regionMatches(true, 0, "x509.subject:", 0, 13)) {
                trimmed = trimmed.substring(13).trim();
            }
            Map<String, String> wanted = attributes(trimmed);
            if (!wanted.isEmpty() && subject.entrySet().containsAll(wanted.entrySet())) {
                return true;
            }
        }
        return false;
    }

    /** An X.500 name's attributes by upper-case type ({@code C}, {@code ST}, ...); empty for one that does not parse. */
    public static Map<String, String> attributes(String distinguishedName) {
        Map<String, String> attributes = new HashMap<>();
        try {
            for (Rdn rdn : new LdapName(distinguishedName).getRdns()) {
                String type = rdn.getType().toUpperCase(Locale.ROOT);
                attributes.put(type.equals("S") ? "ST" : type, String.valueOf(rdn.getValue()));
            }
        } catch (InvalidNameException e) {
            return Map.of();
        }
        return attributes;
    }
}
