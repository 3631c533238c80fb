package io.sigil.sync;

import io.sigil.signature.UntrustedCosignSignature;
import io.sigil.storage.Digest;

/**
 * A signature a source found for a manifest, not yet checked. Atomic ones carry the raw OpenPGP bytes; cosign ones
 * the layer (or lookaside entry) and, for layers of a {@code .sig} manifest, that manifest as carrier.
 */
record FoundSignature(SourceKind source, byte[] atomic, UntrustedCosignSignature cosign, Digest carrier) {

    static FoundSignature atomic(SourceKind source, byte[] bytes) {
        return new FoundSignature(source, bytes, null, null);
    }

    static FoundSignature cosign(SourceKind source, UntrustedCosignSignature layer, Digest carrier) {
        return new FoundSignature(source, null, layer, carrier);
    }

    String type() {
        return atomic != null ? "atomic" : "cosign";
    }
}
