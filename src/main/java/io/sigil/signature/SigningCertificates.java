package io.sigil.signature;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * The X.509 side of cosign signatures that carry a certificate (Fulcio or PKI), with the rules of containers/image's
 * {@code fulcio_cert.go} and {@code pki_cert.go}. Chains are built and checked by the JDK's PKIX CertPathBuilder at a
 * chosen time (the Rekor integratedTime for Fulcio, whose certificates live ten minutes); extensions are read with
 * BouncyCastle. sigstore-java's FulcioVerifier is not used: it insists on SCTs checked against CT log keys, which
 * neither containers/image nor Sigil's stored trust has.
 */
final class SigningCertificates {

    /** Fulcio's OIDC issuer: the deprecated raw-string extension and its DER-string successor. */
    static final String OID_ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";
    static final String OID_ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";

    private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final int SAN_EMAIL = 1;
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;
    private static final String IPV4_OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
    private static final Pattern IPV4_LITERAL = Pattern.compile(IPV4_OCTET + "(\\." + IPV4_OCTET + "){3}");
    private static final Pattern HOSTNAME_LABEL = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*");

    private SigningCertificates() {
    }

    /** Every certificate of a PEM text. @throws InvalidSignatureException if it is not PEM X.509 */
    static List<X509Certificate> parsePem(String untrustedPem, String what) {
        try {
            Collection<? extends java.security.cert.Certificate> parsed = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(untrustedPem.trim().getBytes(StandardCharsets.US_ASCII)));
            return parsed.stream().map(X509Certificate.class::cast).toList();
        } catch (CertificateException | RuntimeException e) {
            throw new InvalidSignatureException("parsing " + what + ": " + e.getMessage());
        }
    }

    /** The one certificate of the certificate annotation. */
    static X509Certificate leaf(String untrustedPem) {
        List<X509Certificate> certificates = parsePem(untrustedPem, "leaf certificate");
        return switch (certificates.size()) {
            case 0 -> throw new InvalidSignatureException("no certificate found in signature certificate data");
            case 1 -> certificates.get(0);
            default -> throw new InvalidSignatureException("unexpected multiple certificates present in signature certificate data");
        };
    }

    /**
     * The untrusted intermediates of a chain annotation: all but its last certificate, which is the root and must
     * come from the trust configuration instead (as containers/image drops it).
     */
    static List<X509Certificate> chainIntermediates(String untrustedChainPem) {
        if (untrustedChainPem == null || untrustedChainPem.isEmpty()) {
            return List.of();
        }
        List<X509Certificate> chain = parsePem(untrustedChainPem, "certificate chain");
        return chain.size() > 1 ? chain.subList(0, chain.size() - 1) : List.of();
    }

    /**
     * The DER body of the first PEM block of {@code pem}, refusing text after it as Go's {@code pem.Decode} callers
     * in containers/image do.
     */
    static byte[] singlePemBlock(byte[] pem, String what) {
        try (PemReader reader = new PemReader(new StringReader(new String(pem, StandardCharsets.UTF_8)))) {
            PemObject block = reader.readPemObject();
            if (block == null) {
                throw new InvalidSignatureException(what + " is not in PEM format");
            }
            if (reader.read() != -1) {
                throw new InvalidSignatureException(what + " has trailing data");
            }
            return block.getContent();
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidSignatureException invalid) {
                throw invalid;
            }
            throw new InvalidSignatureException(what + " is not in PEM format: " + e.getMessage());
        }
    }

    /**
     * Requires a chain from {@code leaf} through {@code intermediates} to one of {@code roots}, every certificate
     * valid at {@code at} (the roots too, as Go checks them) and allowing code signing. Revocation is not checked,
     * as upstream does not.
     */
    static void requireChain(X509Certificate leaf, List<X509Certificate> intermediates, List<X509Certificate> roots, Instant at) {
        Date date = Date.from(at);
        requireValidAt(leaf, date, "the signing certificate");
        Set<TrustAnchor> anchors = new HashSet<>();
        roots.forEach(root -> anchors.add(new TrustAnchor(root, null)));
        X509CertSelector target = new X509CertSelector();
        target.setCertificate(leaf);
        PKIXCertPathBuilderResult result;
        try {
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
            parameters.setRevocationEnabled(false);
            parameters.setDate(date);
            List<X509Certificate> candidates = new ArrayList<>(intermediates);
            candidates.add(leaf);
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(candidates)));
            result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(parameters);
        } catch (GeneralSecurityException e) {
            throw new InvalidSignatureException("verifying leaf certificate failed: no chain to a trusted CA valid at "
                    + at + ": " + e.getMessage());
        }
        List<X509Certificate> path = new ArrayList<>();
        result.getCertPath().getCertificates().forEach(c -> path.add((X509Certificate) c));
        X509Certificate anchor = result.getTrustAnchor().getTrustedCert();
        requireValidAt(anchor, date, "the trusted CA certificate");
        path.add(anchor);
        for (X509Certificate certificate : path) {
            requireCodeSigning(certificate);
        }
    }

    /**
     * The OIDC issuer Fulcio recorded: extension .1.1 (raw bytes) and/or .1.8 (a DER string), which must agree when
     * both are present. @throws InvalidSignatureException if neither is, or .1.8 is malformed
     */
    static String fulcioIssuer(X509Certificate leaf) {
        byte[] v1 = extensionOctets(leaf, OID_ISSUER_V1);
        byte[] v2 = extensionOctets(leaf, OID_ISSUER_V2);
        String issuer1 = v1 == null ? null : new String(v1, StandardCharsets.UTF_8);
        String issuer2 = v2 == null ? null : derString(v2);
        if (issuer1 != null && issuer2 != null && !issuer1.equals(issuer2)) {
            throw new InvalidSignatureException("inconsistent OIDC issuer extension values: v1 \"" + issuer1 + "\", v2 \""
                    + issuer2 + "\"");
        }
        if (issuer1 == null && issuer2 == null) {
            throw new InvalidSignatureException("Fulcio certificate is missing the issuer extension");
        }
        return issuer1 != null ? issuer1 : issuer2;
    }

    /** The rfc822Name entries of the subject alternative names. */
    static List<String> emails(X509Certificate leaf) {
        return alternativeNames(leaf, SAN_EMAIL);
    }

    /** Requires the e-mail among the certificate's SAN e-mails, exactly (containers/image's {@code subjectEmail}). */
    static void requireEmail(X509Certificate leaf, String email) {
        List<String> emails = emails(leaf);
        if (!emails.contains(email)) {
            throw new InvalidSignatureException("Required email \"" + email + "\" not found (got " + emails + ")");
        }
    }

    /**
     * Go's {@code Certificate.VerifyHostname}: an IP address (optionally in brackets) matches IP SANs only; a name
     * matches DNS SANs, case-insensitively. The subject CN is not consulted.
     */
    static void requireHostname(X509Certificate leaf, String hostname) {
        if (!validForHostname(alternativeNames(leaf, SAN_DNS), alternativeNames(leaf, SAN_IP), hostname)) {
            throw new InvalidSignatureException("Unexpected subject hostname: certificate is not valid for " + hostname
                    + " (DNS names " + alternativeNames(leaf, SAN_DNS) + ")");
        }
    }

    /**
     * Whether SANs are valid for {@code hostname}, by Go's rules: when the name and a DNS SAN are both valid
     * hostnames (a SAN may start with a whole {@code *} label), a trailing dot on the name is ignored and the
     * {@code *} stands for exactly one label; otherwise only an exact match counts.
     */
    static boolean validForHostname(List<String> dnsNames, List<String> ipAddresses, String hostname) {
        byte[] ip = ipAddress(withoutBrackets(hostname));
        if (ip != null) {
            return ipAddresses.stream().anyMatch(san -> Arrays.equals(ip, ipAddress(san)));
        }
        String name = lowerCaseAscii(hostname);
        boolean validName = validHostname(name, false);
        return dnsNames.stream().anyMatch(pattern -> validName && validHostname(pattern, true)
                ? hostnameMatches(pattern, name) : matchesExactly(pattern, name));
    }

    /** What a required hostname may be: a name Go would match SANs against, or an IP address. */
    static boolean isHostnameOrAddress(String hostname) {
        return ipAddress(withoutBrackets(hostname)) != null || validHostname(hostname, false);
    }

    private static void requireValidAt(X509Certificate certificate, Date date, String what) {
        try {
            certificate.checkValidity(date);
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new InvalidSignatureException("verifying leaf certificate failed: " + what + describe(certificate)
                    + " is not valid at " + date.toInstant() + " (valid from "
                    + certificate.getNotBefore().toInstant() + " to " + certificate.getNotAfter().toInstant() + ")");
        }
    }

    /** Go's rule: a certificate restricting extended key usage must allow code signing (or any usage). */
    private static void requireCodeSigning(X509Certificate certificate) {
        List<String> usages;
        try {
            usages = certificate.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new InvalidSignatureException("verifying leaf certificate failed: unreadable extended key usage of"
                    + describe(certificate));
        }
        if (usages != null && !usages.contains(CODE_SIGNING) && !usages.contains(ANY_EXTENDED_KEY_USAGE)) {
            throw new InvalidSignatureException("verifying leaf certificate failed:" + describe(certificate)
                    + " does not allow code signing");
        }
    }

    /** " <subject>", or the serial number for certificates without a subject (Fulcio's). */
    private static String describe(X509Certificate certificate) {
        String subject = certificate.getSubjectX500Principal().getName();
        return subject.isEmpty() ? " with serial " + certificate.getSerialNumber().toString(16) : " " + subject;
    }

    private static byte[] extensionOctets(X509Certificate certificate, String oid) {
        byte[] wrapped = certificate.getExtensionValue(oid);
        return wrapped == null ? null : ASN1OctetString.getInstance(wrapped).getOctets();
    }

    private static String derString(byte[] der) {
        try {
            if (ASN1Primitive.fromByteArray(der) instanceof ASN1String string) {
                return string.getString();
            }
        } catch (IOException | RuntimeException e) {
            throw new InvalidSignatureException("invalid ASN.1 in OIDC issuer v2 extension: " + e.getMessage());
        }
        throw new InvalidSignatureException("invalid ASN.1 in OIDC issuer v2 extension: not a string");
    }

    private static List<String> alternativeNames(X509Certificate certificate, int type) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return List.of();
            }
            return names.stream().filter(n -> Objects.equals(n.get(0), type) && n.get(1) instanceof String)
                    .map(n -> (String) n.get(1)).toList();
        } catch (CertificateParsingException e) {
            throw new InvalidSignatureException("unreadable subject alternative names: " + e.getMessage());
        }
    }

    /**
     * Go's {@code validHostname}: non-empty labels of ASCII letters, digits, {@code _} and (not first) {@code -}; a
     * pattern may start with a whole {@code *} label but not be just {@code *}; an input may end with a dot.
     */
    private static boolean validHostname(String host, boolean isPattern) {
        String name = isPattern ? host : trimDot(host);
        if (name.isEmpty() || name.equals("*")) {
            return false;
        }
        String[] labels = name.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            if (!(isPattern && i == 0 && labels[i].equals("*")) && !HOSTNAME_LABEL.matcher(labels[i]).matches()) {
                return false;
            }
        }
        return true;
    }

    /** Go's {@code matchHostnames}, for a valid pattern and a valid lower-case host. */
    private static boolean hostnameMatches(String pattern, String host) {
        String[] patternLabels = lowerCaseAscii(pattern).split("\\.", -1);
        String[] hostLabels = trimDot(host).split("\\.", -1);
        if (patternLabels.length != hostLabels.length) {
            return false;
        }
        for (int i = 0; i < patternLabels.length; i++) {
            if (!(i == 0 && patternLabels[i].equals("*")) && !patternLabels[i].equals(hostLabels[i])) {
                return false;
            }
        }
        return true;
    }

    /** Go's {@code matchExactly}: no wildcard, no trailing-dot leniency. */
    private static boolean matchesExactly(String pattern, String host) {
        return !pattern.isEmpty() && !pattern.equals(".") && !host.isEmpty() && !host.equals(".")
                && lowerCaseAscii(pattern).equals(host);
    }

    private static String trimDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** Go's {@code toLowerCaseASCII}: only A-Z change, so that no other character turns into a letter. */
    private static String lowerCaseAscii(String name) {
        StringBuilder lower = new StringBuilder(name.length());
        name.chars().forEach(c -> lower.append((char) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c)));
        return lower.toString();
    }

    private static String withoutBrackets(String host) {
        return host.length() >= 3 && host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * The bytes of an IP address literal as Go's {@code net.ParseIP} reads one (dotted IPv4 without leading zeros,
     * IPv6 without a zone), else null. Never a DNS lookup: IPv6 goes in brackets, which InetAddress only parses.
     */
    private static byte[] ipAddress(String literal) {
        boolean ipv4 = IPV4_LITERAL.matcher(literal).matches();
        if (!ipv4 && (!literal.contains(":") || literal.contains("%"))) {
            return null;
        }
        try {
            return InetAddress.getByName(ipv4 ? literal : "[" + literal + "]").getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
