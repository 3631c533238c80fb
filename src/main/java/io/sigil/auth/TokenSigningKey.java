package io.sigil.auth;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.lang.HashUtil;

/** The RSA key pair that signs registry tokens; {@code kid} is its RFC 7638 JWK thumbprint. */
record TokenSigningKey(String kid, PrivateKey privateKey, RSAPublicKey publicKey) {

    static TokenSigningKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            var pair = generator.generateKeyPair();
            return of(pair.getPrivate(), (RSAPublicKey) pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }

    /** From PKCS#8 and X.509 (SubjectPublicKeyInfo) DER, as {@link #privateDer()} and {@link #publicDer()} give. */
    static TokenSigningKey decode(byte[] privateDer, byte[] publicDer) {
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            return of(rsa.generatePrivate(new PKCS8EncodedKeySpec(privateDer)),
                    (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(publicDer)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored registry token key is unreadable", e);
        }
    }

    byte[] privateDer() {
        return privateKey.getEncoded();
    }

    byte[] publicDer() {
        return publicKey.getEncoded();
    }

    private static TokenSigningKey of(PrivateKey privateKey, RSAPublicKey publicKey) {
        String kid = new RsaJsonWebKey(publicKey).calculateBase64urlEncodedThumbprint(HashUtil.SHA_256);
        return new TokenSigningKey(kid, privateKey, publicKey);
    }
}
