package io.sigil.signature;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * What an atomic signature claims, read WITHOUT any cryptographic verification. Use it to index, deduplicate or
 * display signatures; never to decide whether to trust an image ({@link AtomicSignatures#verify} does that).
 *
 * @param signingKeyId      16 upper-case hex digits: the issuer key ID, or derived from the issuer fingerprint
 * @param issuerFingerprint upper-case hex issuer fingerprint subpacket; null if absent (e.g. V3 signatures)
 * @param creationTime      the signature creation time it claims
 * @param payload           the signed literal data, exactly as stored (a copy)
 * @param dockerReference   {@code critical.identity.docker-reference}, not validated as a reference
 * @param manifestDigest    {@code critical.image.docker-manifest-digest}, syntactically valid
 * @param creator           {@code optional.creator}, or null
 * @param timestamp         {@code optional.timestamp} in seconds since the epoch, or null
 */
public record UntrustedAtomicSignature(String signingKeyId, String issuerFingerprint, Instant creationTime, byte[] payload,
                                       String dockerReference, String manifestDigest, String creator, Long timestamp) {

    public UntrustedAtomicSignature {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UntrustedAtomicSignature that
                && signingKeyId.equals(that.signingKeyId)
                && Objects.equals(issuerFingerprint, that.issuerFingerprint)
                && creationTime.equals(that.creationTime)
                && Arrays.equals(payload, that.payload)
                && dockerReference.equals(that.dockerReference)
                && manifestDigest.equals(that.manifestDigest)
                && Objects.equals(creator, that.creator)
                && Objects.equals(timestamp, that.timestamp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(signingKeyId, issuerFingerprint, creationTime, Arrays.hashCode(payload), dockerReference,
                manifestDigest, creator, timestamp);
    }

    @Override
    public String toString() {
        return "UntrustedAtomicSignature[signingKeyId=" + signingKeyId + ", issuerFingerprint=" + issuerFingerprint
                + ", creationTime=" + creationTime + ", dockerReference=" + dockerReference + ", manifestDigest="
                + manifestDigest + ", creator=" + creator + ", timestamp=" + timestamp + "]";
    }
}
