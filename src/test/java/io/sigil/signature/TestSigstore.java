package io.sigil.signature;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstore.json.canonicalizer.JsonCanonicalizer;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private Fulcio CA and Rekor log for tests: issues short-lived signing certificates and signs entry timestamps
 * at any integratedTime, so that cases no upstream fixture covers (expired at the Rekor time, issuer extension
 * variants) can be made, and keyless signatures for images of any registry (sync tests). Everything is built with
 * BouncyCastle.
 */
public final class TestSigstore {

    public static final String ISSUER = "https://issuer.example.com";

    private static final AtomicLong SERIAL = new AtomicLong(1000);
    private static final ObjectMapper JSON = new ObjectMapper();

    final KeyPair rootKey = CosignKeys.generate();
    public final X509Certificate root;
    final KeyPair rekorKey = CosignKeys.generate();

    public TestSigstore() {
        Instant now = Instant.now();
        root = certificate(new X500Name("CN=test fulcio root"), rootKey.getPublic(), new X500Name("CN=test fulcio root"),
                rootKey.getPrivate(), now.minusSeconds(86400), now.plusSeconds(86400 * 365), true, null, null, null);
    }

    /** A signing certificate valid for ten minutes from {@code notBefore}; null issuers leave that extension out. */
    public X509Certificate leaf(PublicKey key, String email, String issuerV1, String issuerV2, Instant notBefore) {
        return certificate(new X500Name(new RDN[0]), key, new X500Name("CN=test fulcio root"), rootKey.getPrivate(), notBefore,
                notBefore.plusSeconds(600), false, email, issuerV1, issuerV2);
    }

    /** A cosign layer signed by {@code signer}, certified by {@code leaf}, logged at {@code integratedTime}. */
    public UntrustedCosignSignature layer(KeyPair signer, X509Certificate leaf, byte[] payload, Instant integratedTime) {
        String signature = CosignKeys.sign(signer.getPrivate(), payload);
        String certificatePem = pem(leaf);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(CosignSignatures.SIGNATURE_ANNOTATION, signature);
        annotations.put(CosignTrust.CERTIFICATE_ANNOTATION, certificatePem);
        annotations.put(CosignTrust.CHAIN_ANNOTATION, pem(root));
        annotations.put(RekorSet.ANNOTATION, set(certificatePem, signature, payload, integratedTime));
        return new UntrustedCosignSignature(CosignSignatures.SIMPLE_SIGNING_MEDIA_TYPE, payload, annotations);
    }

    public String rekorPem() {
        return KeyMaterial.pem(rekorKey.getPublic());
    }

    /** The bundle annotation: a hashedrekord body for the signature, SET over the canonical payload. */
    private String set(String keyOrCertPem, String signature, byte[] payload, Instant integratedTime) {
        try {
            Map<String, Object> body = Map.of("apiVersion", "0.0.1", "kind", "hashedrekord", "spec", Map.of(
                    "data", Map.of("hash", Map.of("algorithm", "sha256", "value", HexFormat.of().formatHex(RekorSet.sha256(payload)))),
                    "signature", Map.of("content", signature, "publicKey", Map.of("content",
                            Base64.getEncoder().encodeToString(keyOrCertPem.getBytes(StandardCharsets.US_ASCII))))));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("body", Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(body)));
            entry.put("integratedTime", integratedTime.getEpochSecond());
            entry.put("logIndex", 42);
            entry.put("logID", HexFormat.of().formatHex(RekorSet.sha256(rekorKey.getPublic().getEncoded())));
            Signature ecdsa = Signature.getInstance("SHA256withECDSA");
            ecdsa.initSign(rekorKey.getPrivate());
            ecdsa.update(new JsonCanonicalizer(JSON.writeValueAsBytes(entry)).getEncodedUTF8());
            return JSON.writeValueAsString(Map.of("SignedEntryTimestamp", Base64.getEncoder().encodeToString(ecdsa.sign()),
                    "Payload", entry));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(X509Certificate certificate) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(certificate);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static X509Certificate certificate(X500Name subject, PublicKey key, X500Name issuer, PrivateKey issuerKey,
                                               Instant notBefore, Instant notAfter, boolean ca, String email,
                                               String issuerV1, String issuerV2) {
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(notBefore), Date.from(notAfter), subject, key);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
            if (email != null) {
                builder.addExtension(Extension.subjectAlternativeName, true,
                        new GeneralNames(new GeneralName(GeneralName.rfc822Name, email)));
            }
            if (issuerV1 != null) {
                builder.addExtension(new ASN1ObjectIdentifier(SigningCertificates.OID_ISSUER_V1), false,
                        issuerV1.getBytes(StandardCharsets.UTF_8));
            }
            if (issuerV2 != null) {
                builder.addExtension(new ASN1ObjectIdentifier(SigningCertificates.OID_ISSUER_V2), false, new DERUTF8String(issuerV2));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
