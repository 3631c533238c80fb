package io.sigil.signature;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/** Checks raw signatures with JDK providers; every failure (malformed signature included) is simply "does not verify". */
final class PublicKeySignatures {

    private PublicKeySignatures() {
    }

    /**
     * The way Sigstore and DSSE signers sign with a plain key: ECDSA with the curve's hash (ASN.1 DER, or raw r‖s as
     * the DSSE test vector has it), RSA PKCS#1 v1.5 with SHA-256, or Ed25519.
     */
    static boolean verifies(PublicKey key, byte[] data, byte[] signature) {
        if (key instanceof ECPublicKey ec) {
            String hash = ecHash(ec);
            return verifies(key, hash + "withECDSA", null, data, signature)
                    || verifies(key, hash + "withECDSAinP1363Format", null, data, signature);
        }
        if (key instanceof RSAPublicKey) {
            return verifies(key, "SHA256withRSA", null, data, signature);
        }
        return "EdDSA".equals(key.getAlgorithm()) || "Ed25519".equals(key.getAlgorithm())
                ? verifies(key, "Ed25519", null, data, signature) : false;
    }

    /** ECDSA in raw r‖s form (JWS and COSE) with the given SHA-2 size. */
    static boolean ecdsaP1363(PublicKey key, int shaBits, byte[] data, byte[] signature) {
        return verifies(key, "SHA" + shaBits + "withECDSAinP1363Format", null, data, signature);
    }

    /** RSASSA-PSS with SHA-2 of the given size, MGF1 of the same hash and a salt as long as the hash. */
    static boolean rsaPss(PublicKey key, int shaBits, byte[] data, byte[] signature) {
        String hash = "SHA-" + shaBits;
        PSSParameterSpec spec = new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), shaBits / 8, 1);
        return verifies(key, "RSASSA-PSS", spec, data, signature);
    }

    /** SHA-256 for P-256, SHA-384 for P-384, SHA-512 for P-521. */
    static String ecHash(ECPublicKey key) {
        int bits = key.getParams().getCurve().getField().getFieldSize();
        return bits <= 256 ? "SHA256" : bits <= 384 ? "SHA384" : "SHA512";
    }

    private static boolean verifies(PublicKey key, String algorithm, PSSParameterSpec spec, byte[] data, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(algorithm);
            if (spec != null) {
                verifier.setParameter(spec);
            }
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
