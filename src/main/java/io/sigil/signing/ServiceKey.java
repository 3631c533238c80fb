package io.sigil.signing;

import io.sigil.signature.CosignSignatures;
import io.sigil.signature.CosignTrust;
import io.sigil.signature.OpenPgpKeyring;
import io.sigil.signature.SignatureIngest;
import io.sigil.signature.SignatureVerifier;
import io.sigil.signature.TrustedKeys;
import io.sigil.signature.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The public key of one signing service, for checking what the service produced (an external script's output is
 * untrusted) and for recognising signatures it made earlier (so signing twice adds nothing).
 */
final class ServiceKey {

    private final String type;
    private final OpenPgpKeyring openPgp;
    private final List<java.security.PublicKey> cosign;

    ServiceKey(SigningService service) {
        this.type = service.type();
        byte[] key = service.publicKey().getBytes(StandardCharsets.US_ASCII);
        this.openPgp = SignatureIngest.ATOMIC.equals(type) ? OpenPgpKeyring.of(key) : OpenPgpKeyring.of(List.of());
        this.cosign = SignatureIngest.COSIGN.equals(type) ? List.of(CosignSignatures.parsePublicKey(service.publicKey())) : List.of();
    }

    /** Whether {@code signature} (in the service's format) is by this key, for this digest and reference. */
    boolean signed(byte[] signature, String manifestDigest, String dockerReference) {
        Verdict verdict = verify(signature, manifestDigest);
        return verdict.isValid() && verdict.signedDockerReference().equals(dockerReference);
    }

    /** @throws IllegalStateException naming the problem unless {@link #signed} */
    void require(byte[] signature, String manifestDigest, String dockerReference) {
        Verdict verdict = verify(signature, manifestDigest);
        if (!verdict.isValid()) {
            throw new IllegalStateException("the signing service produced a signature its public key does not verify: "
                    + verdict.reason());
        }
        if (!verdict.signedDockerReference().equals(dockerReference)) {
            throw new IllegalStateException("the signing service signed \"" + verdict.signedDockerReference()
                    + "\" instead of \"" + dockerReference + "\"");
        }
    }

    private Verdict verify(byte[] signature, String manifestDigest) {
        TrustedKeys.KeySet keys = new TrustedKeys.KeySet(0, 0, openPgp, CosignTrust.ofKeys(cosign), java.util.List.of(),
                java.util.List.of());
        return SignatureVerifier.verify(keys, type, signature, manifestDigest);
    }
}
