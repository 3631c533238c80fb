package io.sigil.signature;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/** ECDSA P-256 key pairs for cosign signing services: generation, PEM import, PKCS#8 storage. */
public final class CosignKeys {

    private static final X9ECParameters P256 = ECNamedCurveTable.getByName("secp256r1");
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private CosignKeys() {
    }

    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has P-256", e);
        }
    }

    /**
     * Reads a PEM private key: PKCS#8 ({@code PRIVATE KEY}), encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}, with
     * the passphrase) or SEC1 ({@code EC PRIVATE KEY}). cosign's own encrypted format is not supported: convert it
     * with {@code cosign import-key-pair}'s counterpart or openssl first.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static KeyPair fromPem(String pem, String passphrase) {
        Object object;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            object = parser.readObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("not a PEM private key: " + e.getMessage(), e);
        }
        try {
            PrivateKeyInfo info;
            if (object instanceof PEMKeyPair pair) {
                info = pair.getPrivateKeyInfo();
            } else if (object instanceof PrivateKeyInfo plain) {
                info = plain;
            } else if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                info = decrypt(encrypted, passphrase);
            } else {
                throw new IllegalArgumentException("not a PEM private key (PRIVATE KEY, ENCRYPTED PRIVATE KEY or EC PRIVATE KEY)");
            }
            return withPublicKey(new JcaPEMKeyConverter().getPrivateKey(info));
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable private key: " + e.getMessage(), e);
        }
    }

    public static byte[] pkcs8(KeyPair pair) {
        return pair.getPrivate().getEncoded();
    }

    public static KeyPair fromPkcs8(byte[] der) {
        try {
            return withPublicKey(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored cosign key is not PKCS#8 EC", e);
        }
    }

    /** Standard base64 of the ASN.1 DER ECDSA signature over SHA-256 of {@code payload}, as cosign writes it. */
    public static String sign(PrivateKey key, byte[] payload) {
        try {
            java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(payload);
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ECDSA signing failed", e);
        }
    }

    private static PrivateKeyInfo decrypt(PKCS8EncryptedPrivateKeyInfo encrypted, String passphrase) {
        if (passphrase == null) {
            throw new IllegalArgumentException("the private key is encrypted: give its passphrase");
        }
        try {
            // BouncyCastle's provider, passed (not installed): the JDK lacks the PKCS7Padding name PBES2 asks for.
            return encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC)
                    .build(passphrase.toCharArray()));
        } catch (PKCSException | OperatorCreationException e) {
            throw new IllegalArgumentException("cannot decrypt the private key: wrong passphrase?", e);
        }
    }

    /** The public key is recomputed (Q = dG): PKCS#8 files need not carry it. Only P-256 keys are accepted. */
    private static KeyPair withPublicKey(PrivateKey key) {
        if (!(key instanceof ECPrivateKey ec) || !ec.getParams().getOrder().equals(P256.getN())) {
            throw new IllegalArgumentException("cosign signing keys must be ECDSA P-256");
        }
        org.bouncycastle.math.ec.ECPoint q = P256.getG().multiply(ec.getS()).normalize();
        try {
            PublicKey publicKey = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                    new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), ec.getParams()));
            return new KeyPair(publicKey, key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the public key", e);
        }
    }
}
