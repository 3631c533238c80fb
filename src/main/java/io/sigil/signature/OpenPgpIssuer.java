package io.sigil.signature;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;

/**
 * Who a signature packet claims made it. Untrusted: the key ID outside the hashed area is not even signed.
 *
 * @param keyId       64-bit issuer key ID
 * @param fingerprint issuer fingerprint (hashed area preferred), or null
 */
record OpenPgpIssuer(long keyId, byte[] fingerprint) {

    static OpenPgpIssuer of(PGPSignature untrustedSignature) {
        byte[] fingerprint = issuerFingerprint(untrustedSignature);
        long keyId = untrustedSignature.getKeyID();
        if (keyId == 0 && fingerprint != null) {
            keyId = keyIdFromFingerprint(fingerprint);
        }
        if (keyId == 0) {
            throw new SignatureFormatException("the signature names no issuer key");
        }
        return new OpenPgpIssuer(keyId, fingerprint);
    }

    String keyIdHex() {
        return String.format(Locale.ROOT, "%016X", keyId);
    }

    String fingerprintHex() {
        return fingerprint == null ? null : HexFormat.of().withUpperCase().formatHex(fingerprint);
    }

    boolean couldBe(OpenPgpKey key) {
        return key.publicKey().getKeyID() == keyId
                && (fingerprint == null || Arrays.equals(fingerprint, key.publicKey().getFingerprint()));
    }

    private static byte[] issuerFingerprint(PGPSignature signature) {
        for (PGPSignatureSubpacketVector area : new PGPSignatureSubpacketVector[] {signature.getHashedSubPackets(), signature.getUnhashedSubPackets()}) {
            IssuerFingerprint issuer = area == null ? null : area.getIssuerFingerprint();
            if (issuer != null) {
                return issuer.getFingerprint();
            }
        }
        return null;
    }

    /** V4 key IDs are the last 8 bytes of the fingerprint; V5/V6 ones the first 8 (RFC 9580 §5.5.4). */
    private static long keyIdFromFingerprint(byte[] fingerprint) {
        int offset = fingerprint.length == 20 ? 12 : 0;
        long keyId = 0;
        for (int i = offset; i < offset + 8 && i < fingerprint.length; i++) {
            keyId = (keyId << 8) | (fingerprint[i] & 0xFF);
        }
        return keyId;
    }
}
