package io.sigil.signature;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Atomic ("simple signing") signatures: an OpenPGP signed message carrying a JSON payload
 * (signature-formats.md §1). Parsing, verification in containers/image's order, and the payload a signer signs.
 */
public final class AtomicSignatures {

    /** Collision-resistant hashes only: SHA-1 and MD5 signatures could be forged for chosen content. */
    private static final Set<Integer> ACCEPTED_HASHES = Set.of(HashAlgorithmTags.SHA224, HashAlgorithmTags.SHA256,
            HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA3_256, HashAlgorithmTags.SHA3_512);
    private static final BcPGPContentVerifierBuilderProvider VERIFIERS = new BcPGPContentVerifierBuilderProvider();

    private AtomicSignatures() {
    }

    /**
     * Reads what a signature claims, WITHOUT verifying it.
     *
     * @throws SignatureFormatException if the blob is not an OpenPGP signed message (bare literal data, encrypted,
     *                                  garbage) or its payload is not a well-formed atomic signature payload
     */
    public static UntrustedAtomicSignature parse(byte[] untrustedBlob) {
        OpenPgpSignedMessage message = OpenPgpSignedMessage.read(untrustedBlob);
        OpenPgpIssuer issuer = OpenPgpIssuer.of(message.untrustedSignature());
        SimpleSigningPayload.UntrustedClaims claims = parsePayload(message.untrustedContent());
        return new UntrustedAtomicSignature(issuer.keyIdHex(), issuer.fingerprintHex(),
                message.untrustedSignature().getCreationTime().toInstant(), message.untrustedContent(),
                claims.dockerReference(), claims.manifestDigest(), claims.creator(), claims.timestamp());
    }

    /**
     * The JSON payload to sign, byte-identical to what containers/image writes for the same values.
     *
     * @param creator          null to omit
     * @param timestampSeconds null to omit
     */
    public static byte[] payload(String dockerReference, String manifestDigest, String creator, Long timestampSeconds) {
        if (dockerReference == null || dockerReference.isEmpty() || manifestDigest == null || manifestDigest.isEmpty()) {
            throw new IllegalArgumentException("a signature payload needs a docker reference and a manifest digest");
        }
        return SimpleSigningPayload.serialize(SimpleSigningPayload.ATOMIC_TYPE, dockerReference, manifestDigest, creator,
                timestampSeconds);
    }

    /**
     * @throws InvalidSignatureException if the signature is for another manifest digest (compared as strings, as
     *                                   containers/image does: a sha512 claim never matches a sha256 digest)
     */
    public static void requireManifestDigest(UntrustedAtomicSignature signature, String manifestDigest) {
        if (!signature.manifestDigest().equals(manifestDigest)) {
            throw new InvalidSignatureException(digestMismatch(signature.manifestDigest(), manifestDigest));
        }
    }

    /**
     * Verifies a signature in containers/image's order: it must be a signed message, made by a key in
     * {@code trustedKeys} that is not revoked or expired, not itself expired, and cryptographically sound; only
     * then is the payload parsed, and its manifest digest compared with {@code expectedManifestDigest}. The signed
     * identity is left to {@link Verdict#requireIdentity}.
     */
    public static Verdict verify(byte[] untrustedBlob, OpenPgpKeyring trustedKeys, String expectedManifestDigest) {
        return verify(untrustedBlob, trustedKeys, expectedManifestDigest, Instant.now());
    }

    static Verdict verify(byte[] untrustedBlob, OpenPgpKeyring trustedKeys, String expectedManifestDigest, Instant now) {
        OpenPgpSignedMessage message;
        OpenPgpIssuer issuer;
        try {
            message = OpenPgpSignedMessage.read(untrustedBlob);
            issuer = OpenPgpIssuer.of(message.untrustedSignature());
        } catch (SignatureFormatException e) {
            return Verdict.invalid(null, e.getMessage());
        }
        List<OpenPgpKey> candidates = trustedKeys.keysWithId(issuer.keyId()).stream().filter(issuer::couldBe).toList();
        if (candidates.isEmpty()) {
            return Verdict.unknownKey("signed by key ID " + issuer.keyIdHex() + ", which is not a trusted key");
        }
        String firstProblem = null;
        for (OpenPgpKey candidate : candidates) {
            String problem = problemWithSignature(message, candidate, now);
            if (problem == null) {
                return checkPayload(message.untrustedContent(), candidate.primaryFingerprint(), expectedManifestDigest);
            }
            firstProblem = firstProblem == null ? problem : firstProblem;
        }
        return Verdict.invalid(candidates.get(0).primaryFingerprint(), firstProblem);
    }

    /** The cryptographic half of verification; returns null when the signature by {@code key} is sound. */
    private static String problemWithSignature(OpenPgpSignedMessage message, OpenPgpKey key, Instant now) {
        PGPSignature signature = message.untrustedSignature();
        if (key.revoked()) {
            return key.describe() + " is revoked";
        }
        if (!key.signingAllowed()) {
            return key.describe() + " is not allowed to sign data";
        }
        if (key.expiry() != null && now.isAfter(key.expiry())) {
            return key.describe() + " expired on " + key.expiry();
        }
        Instant expiry = signatureExpiry(signature);
        if (expiry != null && now.isAfter(expiry)) {
            return "signature expired on " + expiry;
        }
        if (signature.getSignatureType() != PGPSignature.BINARY_DOCUMENT
                && signature.getSignatureType() != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
            return "signature type " + signature.getSignatureType() + " does not sign a document";
        }
        if (!ACCEPTED_HASHES.contains(signature.getHashAlgorithm())) {
            return "signature uses the weak or unknown hash algorithm " + signature.getHashAlgorithm();
        }
        if (signature.getCreationTime().before(key.publicKey().getCreationTime())) {
            return "signature claims to predate " + key.describe();
        }
        return cryptographicallyValid(signature, key, message.untrustedContent())
                ? null
                : "cryptographic signature check failed (BAD signature) for " + key.describe();
    }

    private static boolean cryptographicallyValid(PGPSignature signature, OpenPgpKey key, byte[] content) {
        try {
            signature.init(VERIFIERS, key.publicKey());
            signature.update(content);
            return signature.verify();
        } catch (PGPException | RuntimeException e) {
            return false;
        }
    }

    private static Instant signatureExpiry(PGPSignature signature) {
        PGPSignatureSubpacketVector hashed = signature.getHashedSubPackets();
        long lifetimeSeconds = hashed == null ? 0 : hashed.getSignatureExpirationTime();
        return lifetimeSeconds == 0 ? null : signature.getCreationTime().toInstant().plusSeconds(lifetimeSeconds);
    }

    private static Verdict checkPayload(byte[] signedContent, String keyIdentity, String expectedManifestDigest) {
        SimpleSigningPayload.UntrustedClaims claims;
        try {
            claims = parsePayload(signedContent);
        } catch (SignatureFormatException e) {
            return Verdict.invalid(keyIdentity, "invalid signature payload: " + e.getMessage());
        }
        if (!claims.manifestDigest().equals(expectedManifestDigest)) {
            return Verdict.invalid(keyIdentity, digestMismatch(claims.manifestDigest(), expectedManifestDigest));
        }
        return Verdict.valid(keyIdentity, claims.dockerReference());
    }

    private static SimpleSigningPayload.UntrustedClaims parsePayload(byte[] untrustedContent) {
        return SimpleSigningPayload.parse(untrustedContent, SimpleSigningPayload.ATOMIC_TYPE, false);
    }

    static String digestMismatch(String signedDigest, String manifestDigest) {
        return "signature is for manifest digest " + signedDigest + ", not " + manifestDigest;
    }
}
