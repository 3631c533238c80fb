package io.sigil.signing;

import io.sigil.content.ContentStore;
import io.sigil.content.NewSignature;
import io.sigil.content.Signature;
import io.sigil.storage.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Turns signature bytes received from anywhere (push, sync, signing, import) into signature units. The bytes are
 * parsed before anything is stored, and a signature whose payload names another manifest than the one it is attached
 * to is refused: Sigil never keeps a signature it cannot attribute to its manifest.
 */
@ApplicationScoped
public class SignatureIngest {

    public static final String ATOMIC = "atomic";

    @Inject
    ContentStore store;
    @Inject
    RevokedKeys revokedKeys;

    /**
     * Stores an atomic (simple signing) signature of {@code manifestDigest}. Throws {@link SignatureFormatException}
     * for bytes that are not a signed message with a valid payload, and {@link InvalidSignatureException} when the
     * payload's manifest digest differs, {@link RevokedKeyException} when the signing key is revoked. Idempotent: the
     * same bytes give the same unit.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Signature atomic(String manifestDigest, byte[] untrustedBlob) {
        UntrustedAtomicSignature parsed = AtomicSignatures.parse(untrustedBlob);
        AtomicSignatures.requireManifestDigest(parsed, manifestDigest);
        String name = manifestDigest + "@" + Digest.sha256Of(untrustedBlob).hex().substring(0, 32);
        NewSignature signature = new NewSignature(manifestDigest, ATOMIC, name, untrustedBlob, parsed.signingKeyId(),
                parsed.issuerFingerprint(), parsed.creator(), parsed.timestamp(), parsed.dockerReference(),
                Digest.sha256Of(parsed.payload()).toString(), null);
        revokedKeys.requireNotRevoked(signature);
        return store.signature(signature);
    }
}
