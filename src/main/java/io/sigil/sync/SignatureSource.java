package io.sigil.sync;

import io.sigil.storage.Digest;
import java.io.IOException;

/**
 * One place an upstream keeps signatures (signature-formats.md §2–§5). A source reports what it could not read as
 * {@link Findings#problems} and throws only when the upstream itself fails (which fails the sync).
 */
interface SignatureSource {

    SourceKind kind();

    /** What this source holds for the manifest {@code subject}; only its digest is needed, so asking starts at HEAD. */
    Findings find(Digest subject) throws IOException;
}
