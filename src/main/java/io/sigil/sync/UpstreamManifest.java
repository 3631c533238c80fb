package io.sigil.sync;

import io.sigil.content.ParsedManifest;
import io.sigil.storage.Digest;

/** A manifest of the upstream: its exact bytes, parsed; {@code stored} when Sigil already held it (no GET made). */
record UpstreamManifest(byte[] bytes, ParsedManifest parsed, boolean stored) {

    Digest digest() {
        return parsed.digest();
    }
}
