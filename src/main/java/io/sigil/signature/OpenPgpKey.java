package io.sigil.signature;

import java.time.Instant;
import org.bouncycastle.openpgp.PGPPublicKey;

/**
 * A primary key or a properly bound subkey from a trusted keyring, with what its (verified) self-signatures say.
 *
 * @param publicKey          the key that makes signatures
 * @param fingerprint        its own upper-case hex fingerprint
 * @param primaryFingerprint the upper-case hex V4 fingerprint of its primary key: the key identity callers trust
 * @param revoked            a valid revocation signature exists for this key or its primary key
 * @param expiry             when the key (or its primary key) stops being valid; null for never
 * @param signingAllowed     the key flags permit signing data (keys without flags may sign, as in GnuPG)
 */
record OpenPgpKey(PGPPublicKey publicKey, String fingerprint, String primaryFingerprint, boolean revoked, Instant expiry,
                  boolean signingAllowed) {

    boolean isSubkey() {
        return !fingerprint.equals(primaryFingerprint);
    }

    String describe() {
        return isSubkey() ? "subkey " + fingerprint + " of key " + primaryFingerprint : "key " + primaryFingerprint;
    }
}
