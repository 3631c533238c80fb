package io.sigil.signature;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * The OpenPGP public keys an administrator trusts. A key's identity is the upper-case hex V4 fingerprint of its
 * primary key, the form containers/image compares; signatures made by a subkey are attributed to the primary key.
 *
 * <p>Self-signatures are checked here, once: a subkey without a valid binding signature (and, for a signing subkey,
 * without a valid back-signature) is not part of the key, as in GnuPG. Revocations only count when they verify.
 * Immutable once built, and safe to share between threads.
 */
public final class OpenPgpKeyring {

    private static final BcPGPContentVerifierBuilderProvider VERIFIERS = new BcPGPContentVerifierBuilderProvider();

    private final Map<String, PGPPublicKeyRing> ringsByPrimaryFingerprint;
    private final Map<Long, List<OpenPgpKey>> keysByKeyId = new LinkedHashMap<>();

    private OpenPgpKeyring(Map<String, PGPPublicKeyRing> ringsByPrimaryFingerprint) {
        this.ringsByPrimaryFingerprint = ringsByPrimaryFingerprint;
        ringsByPrimaryFingerprint.values().forEach(this::index);
    }

    /**
     * Reads public keys, armoured or binary, one or more per blob. The same key given twice is merged.
     *
     * @throws IllegalArgumentException if a blob holds no public key, something else than public keys, or a key
     *                                  that is not a valid V4 key with a valid self-signature
     */
    public static OpenPgpKeyring of(byte[]... keyBlobs) {
        return of(List.of(keyBlobs));
    }

    /** As {@link #of(byte[]...)}. */
    public static OpenPgpKeyring of(List<byte[]> keyBlobs) {
        Map<String, PGPPublicKeyRing> rings = new LinkedHashMap<>();
        for (byte[] blob : keyBlobs) {
            for (PGPPublicKeyRing ring : readRings(blob)) {
                rings.merge(fingerprintOf(ring.getPublicKey()), ring, OpenPgpKeyring::join);
            }
        }
        return new OpenPgpKeyring(rings);
    }

    /** The identities of the trusted keys, in the order they were given. */
    public Set<String> primaryFingerprints() {
        return Collections.unmodifiableSet(ringsByPrimaryFingerprint.keySet());
    }

    /** The fingerprints of a trusted key: its primary key first, then its properly bound subkeys. */
    public List<String> fingerprintsOf(String primaryFingerprint) {
        List<String> fingerprints = new ArrayList<>();
        fingerprints.add(primaryFingerprint);
        keys().stream().filter(k -> k.isSubkey() && k.primaryFingerprint().equals(primaryFingerprint))
                .forEach(k -> fingerprints.add(k.fingerprint()));
        return fingerprints;
    }

    /** Every usable key of the ring: primary keys and properly bound subkeys. */
    List<OpenPgpKey> keys() {
        return keysByKeyId.values().stream().flatMap(List::stream).toList();
    }

    /** The public key ring of this primary key, ASCII-armoured. */
    byte[] armored(String primaryFingerprint) {
        return OpenPgpSigner.armor(ringsByPrimaryFingerprint.get(primaryFingerprint));
    }

    /** Keys (primary or subkey) with this 64-bit key ID; usually zero or one. */
    List<OpenPgpKey> keysWithId(long keyId) {
        return keysByKeyId.getOrDefault(keyId, List.of());
    }

    public static String fingerprintOf(PGPPublicKey key) {
        return HexFormat.of().withUpperCase().formatHex(key.getFingerprint());
    }

    private static List<PGPPublicKeyRing> readRings(byte[] blob) {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(blob))) {
            new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator()).forEach(rings::add);
        } catch (IOException | PGPException | RuntimeException e) {
            throw new IllegalArgumentException("not an OpenPGP public key: " + e.getMessage(), e);
        }
        if (rings.isEmpty()) {
            throw new IllegalArgumentException("no OpenPGP public key found");
        }
        for (PGPPublicKeyRing ring : rings) {
            if (ring.getPublicKey().getVersion() != 4) {
                throw new IllegalArgumentException("key " + fingerprintOf(ring.getPublicKey()) + " is a version "
                        + ring.getPublicKey().getVersion() + " key; only version 4 keys are supported");
            }
        }
        return rings;
    }

    private static PGPPublicKeyRing join(PGPPublicKeyRing first, PGPPublicKeyRing second) {
        try {
            return PGPPublicKeyRing.join(first, second);
        } catch (PGPException e) {
            throw new IllegalArgumentException("cannot merge two copies of key " + fingerprintOf(first.getPublicKey()), e);
        }
    }

    private void index(PGPPublicKeyRing ring) {
        PGPPublicKey primary = ring.getPublicKey();
        String primaryFingerprint = fingerprintOf(primary);
        PGPSignature selfSignature = latest(validSelfSignatures(primary));
        if (selfSignature == null) {
            throw new IllegalArgumentException("key " + primaryFingerprint + " has no valid self-signature");
        }
        boolean primaryRevoked = hasValidRevocation(primary, PGPSignature.KEY_REVOCATION, primary);
        Instant primaryExpiry = expiry(primary, selfSignature);
        add(new OpenPgpKey(primary, primaryFingerprint, primaryFingerprint, primaryRevoked, primaryExpiry,
                allowsSigning(selfSignature)));

        for (Iterator<PGPPublicKey> keys = ring.getPublicKeys(); keys.hasNext(); ) {
            PGPPublicKey subkey = keys.next();
            if (subkey.isMasterKey()) {
                continue;
            }
            PGPSignature binding = latest(validSubkeyBindings(primary, subkey));
            if (binding == null || (allowsSigning(binding) && !hasValidBackSignature(primary, subkey, binding))) {
                continue; // Not (usably) part of this key; GnuPG would drop it too.
            }
            boolean revoked = primaryRevoked || hasValidRevocation(subkey, PGPSignature.SUBKEY_REVOCATION, primary);
            add(new OpenPgpKey(subkey, fingerprintOf(subkey), primaryFingerprint, revoked,
                    earlier(primaryExpiry, expiry(subkey, binding)), allowsSigning(binding)));
        }
    }

    private void add(OpenPgpKey key) {
        keysByKeyId.computeIfAbsent(key.publicKey().getKeyID(), id -> new ArrayList<>()).add(key);
    }

    private static List<PGPSignature> validSelfSignatures(PGPPublicKey primary) {
        List<PGPSignature> valid = new ArrayList<>();
        for (Iterator<byte[]> ids = primary.getRawUserIDs(); ids.hasNext(); ) {
            byte[] userId = ids.next();
            for (Iterator<PGPSignature> sigs = primary.getSignaturesForID(userId); sigs.hasNext(); ) {
                PGPSignature sig = sigs.next();
                if (sig.isCertification() && isIssuedBy(sig, primary) && verifies(sig, primary, s -> s.verifyCertification(userId, primary))) {
                    valid.add(sig);
                }
            }
        }
        for (Iterator<PGPSignature> sigs = primary.getSignaturesOfType(PGPSignature.DIRECT_KEY); sigs.hasNext(); ) {
            PGPSignature sig = sigs.next();
            if (isIssuedBy(sig, primary) && verifies(sig, primary, s -> s.verifyCertification(primary))) {
                valid.add(sig);
            }
        }
        return valid;
    }

    private static List<PGPSignature> validSubkeyBindings(PGPPublicKey primary, PGPPublicKey subkey) {
        List<PGPSignature> valid = new ArrayList<>();
        for (Iterator<PGPSignature> sigs = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING); sigs.hasNext(); ) {
            PGPSignature sig = sigs.next();
            if (verifies(sig, primary, s -> s.verifyCertification(primary, subkey))) {
                valid.add(sig);
            }
        }
        return valid;
    }

    /** A signing subkey must certify its primary key too, or anyone could bind somebody else's key as theirs. */
    private static boolean hasValidBackSignature(PGPPublicKey primary, PGPPublicKey subkey, PGPSignature binding) {
        for (PGPSignatureSubpacketVector area : new PGPSignatureSubpacketVector[] {binding.getHashedSubPackets(), binding.getUnhashedSubPackets()}) {
            try {
                PGPSignatureList embedded = area == null ? null : area.getEmbeddedSignatures();
                if (embedded == null) {
                    continue;
                }
                for (PGPSignature backSignature : embedded) {
                    if (backSignature.getSignatureType() == PGPSignature.PRIMARYKEY_BINDING
                            && verifies(backSignature, subkey, s -> s.verifyCertification(primary, subkey))) {
                        return true;
                    }
                }
            } catch (PGPException e) {
                // A malformed embedded signature is no back-signature.
            }
        }
        return false;
    }

    private static boolean hasValidRevocation(PGPPublicKey key, int revocationType, PGPPublicKey primary) {
        for (Iterator<PGPSignature> sigs = key.getSignaturesOfType(revocationType); sigs.hasNext(); ) {
            PGPSignature sig = sigs.next();
            boolean valid = key == primary
                    ? verifies(sig, primary, s -> s.verifyCertification(primary))
                    : verifies(sig, primary, s -> s.verifyCertification(primary, key));
            if (valid) {
                return true;
            }
        }
        return false;
    }

    private static boolean isIssuedBy(PGPSignature sig, PGPPublicKey key) {
        return sig.getKeyID() == key.getKeyID();
    }

    private static boolean verifies(PGPSignature sig, PGPPublicKey signer, Check check) {
        try {
            sig.init(VERIFIERS, signer);
            return check.verify(sig);
        } catch (PGPException | RuntimeException e) {
            return false;
        }
    }

    private static PGPSignature latest(List<PGPSignature> signatures) {
        return signatures.stream().max((a, b) -> a.getCreationTime().compareTo(b.getCreationTime())).orElse(null);
    }

    private static boolean allowsSigning(PGPSignature selfSignature) {
        PGPSignatureSubpacketVector hashed = selfSignature.getHashedSubPackets();
        if (hashed == null || !hashed.hasSubpacket(SignatureSubpacketTags.KEY_FLAGS)) {
            return true;
        }
        return (hashed.getKeyFlags() & KeyFlags.SIGN_DATA) != 0;
    }

    private static Instant expiry(PGPPublicKey key, PGPSignature selfSignature) {
        PGPSignatureSubpacketVector hashed = selfSignature.getHashedSubPackets();
        long validSeconds = hashed == null ? 0 : hashed.getKeyExpirationTime();
        return validSeconds == 0 ? null : key.getCreationTime().toInstant().plusSeconds(validSeconds);
    }

    private static Instant earlier(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    @FunctionalInterface
    private interface Check {
        boolean verify(PGPSignature initialisedSignature) throws PGPException;
    }
}
