package io.sigil.signing;

import io.sigil.signature.AtomicSignatures;
import io.sigil.signature.CosignKeys;
import io.sigil.signature.CosignSignatures;
import io.sigil.signature.OpenPgpSigner;
import io.sigil.signature.UntrustedCosignSignature;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Map;

/** Signers that hold their private key in memory, for the length of one task. */
final class KeySigners {

    /** The creator Sigil writes into the payloads it signs. */
    static final String CREATOR = "Sigil 0.1";

    private KeySigners() {
    }

    static Signer atomic(OpenPgpSigner signer) {
        return (manifest, digest, reference) ->
                signer.sign(AtomicSignatures.payload(reference, digest, CREATOR, Instant.now().getEpochSecond()));
    }

    static Signer cosign(KeyPair keys) {
        return (manifest, digest, reference) -> {
            byte[] payload = CosignSignatures.payload(reference, digest, CREATOR, Instant.now().getEpochSecond());
            String signature = CosignKeys.sign(keys.getPrivate(), payload);
            return CosignSignatures.toStorageForm(new UntrustedCosignSignature(CosignSignatures.SIMPLE_SIGNING_MEDIA_TYPE,
                    payload, Map.of(CosignSignatures.SIGNATURE_ANNOTATION, signature)));
        };
    }
}
