package io.sigil.signature;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One layer of a cosign {@code sha256-<hex>.sig} manifest, as read from a registry or from containers/image's
 * {@code sigstore-json} storage form. Nothing in it has been verified.
 *
 * @param mediaType   the layer media type; only {@link CosignSignatures#SIMPLE_SIGNING_MEDIA_TYPE} is a signature
 * @param payload     the layer blob, exactly as stored (a copy): the signature covers these bytes
 * @param annotations the layer descriptor's annotations
 */
public record UntrustedCosignSignature(String mediaType, byte[] payload, Map<String, String> annotations) {

    public UntrustedCosignSignature {
        Objects.requireNonNull(mediaType, "mediaType");
        payload = payload.clone();
        annotations = Map.copyOf(annotations);
    }

    /** Whether this layer is a simple-signing signature; other attachments are to be skipped, not rejected. */
    public boolean isSimpleSigning() {
        return CosignSignatures.SIMPLE_SIGNING_MEDIA_TYPE.equals(mediaType);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UntrustedCosignSignature that && mediaType.equals(that.mediaType)
                && Arrays.equals(payload, that.payload) && annotations.equals(that.annotations);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mediaType, Arrays.hashCode(payload), annotations);
    }

    @Override
    public String toString() {
        return "UntrustedCosignSignature[mediaType=" + mediaType + ", payload=" + payload.length + " bytes, annotations="
                + annotations.keySet() + "]";
    }
}
