package io.sigil.signature;

/**
 * What a cosign simple-signing payload claims, parsed strictly but WITHOUT verification.
 *
 * @param dockerReference {@code critical.identity.docker-reference}; cosign writes the repository only
 * @param manifestDigest  {@code critical.image.docker-manifest-digest}, syntactically valid
 * @param creator         {@code optional.creator}, or null (cosign writes {@code "optional": null})
 * @param timestamp       {@code optional.timestamp} in seconds since the epoch, or null
 */
public record UntrustedCosignPayload(String dockerReference, String manifestDigest, String creator, Long timestamp) {
}
