package io.sigil.signature;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Upstream fixtures copied under {@code src/test/resources/fixtures/} (each folder's README says what they are). */
final class UpstreamFixtures {

    private UpstreamFixtures() {
    }

    static byte[] read(String path) {
        try (InputStream in = UpstreamFixtures.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String path) {
        return new String(read(path), StandardCharsets.UTF_8);
    }

    static PublicKey publicKey(String path) {
        String body = text(path).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getDecoder().decode(body));
        for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(spec);
            } catch (Exception e) {
                // next algorithm
            }
        }
        throw new IllegalArgumentException("not a public key: " + path);
    }

    static X509Certificate certificate(String path) {
        try (InputStream in = UpstreamFixtures.class.getResourceAsStream("/fixtures/" + path)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a certificate: " + path, e);
        }
    }
}
