package io.sigil.content;

/** A signature to store, with the claims a parser read out of its bytes. */
public record NewSignature(
        String signedDigest,
        String type,
        String name,
        byte[] data,
        String keyId,
        String fingerprint,
        String creator,
        Long signedAt,
        String dockerReference,
        String payloadDigest,
        String carrierDigest) {
}
