package io.sigil.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A Sigstore trusted root ({@code application/vnd.dev.sigstore.trustedroot+json;version=0.1}, the
 * {@code trusted_root.json} TUF distributes): the transparency logs' keys by log ID and the Fulcio certificate chains.
 * CT logs and timestamp authorities are read by nothing here yet.
 */
public record SigstoreTrustedRoot(List<Log> tlogs, List<List<X509Certificate>> certificateAuthorities) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A transparency log: its ID (SHA-256 of its key) and key. */
    public record Log(byte[] keyId, PublicKey key) {
    }

    public SigstoreTrustedRoot {
        tlogs = List.copyOf(tlogs);
        certificateAuthorities = List.copyOf(certificateAuthorities);
    }

    public static SigstoreTrustedRoot parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new SignatureFormatError("the trusted root is not JSON: " + e.getMessage());
        }
        if (root == null || !root.path("mediaType").asText("").startsWith("application/vnd.dev.sigstore.trustedroot")) {
            throw new SignatureFormatError("not a Sigstore trusted root (mediaType application/vnd.dev.sigstore.trustedroot+json)");
        }
        List<Log> logs = new ArrayList<>();
        for (JsonNode log : root.path("tlogs")) {
            logs.add(new Log(Base64.getDecoder().decode(log.path("logId").path("keyId").asText()),
                    publicKey(Base64.getDecoder().decode(log.path("publicKey").path("rawBytes").asText()))));
        }
        List<List<X509Certificate>> cas = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (JsonNode ca : root.path("certificateAuthorities")) {
                List<X509Certificate> chain = new ArrayList<>();
                for (JsonNode certificate : ca.path("certChain").path("certificates")) {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(
                            Base64.getDecoder().decode(certificate.path("rawBytes").asText()))));
                }
                if (!chain.isEmpty()) {
                    cas.add(List.copyOf(chain));
                }
            }
        } catch (Exception e) {
            throw new SignatureFormatError("a certificate authority of the trusted root does not parse: " + e.getMessage());
        }
        if (logs.isEmpty()) {
            throw new SignatureFormatError("the trusted root names no transparency log");
        }
        return new SigstoreTrustedRoot(logs, cas);
    }

    public Optional<Log> log(byte[] keyId) {
        return tlogs.stream().filter(l -> Arrays.equals(l.keyId(), keyId)).findFirst();
    }

    static PublicKey publicKey(byte[] spki) {
        for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki));
            } catch (Exception e) {
                // try the next algorithm
            }
        }
        throw new SignatureFormatError("a public key of the trusted root is neither ECDSA, RSA nor Ed25519");
    }
}
