package io.sigil.signature;

import java.security.PublicKey;
import java.util.List;
import java.util.Optional;

/**
 * Verifies cosign attestations: a DSSE envelope carrying an in-toto Statement about an image manifest. The envelope
 * must be signed by a trusted key (over the PAE), and the Statement, read from the very bytes that verified, must name
 * the manifest's digest; its predicate type is reported.
 */
public final class Attestations {

    /** A public key Sigil trusts, with the identity verdicts name it by. */
    public record TrustedPublicKey(String identity, PublicKey key) {
    }

    private Attestations() {
    }

    /** @param manifestDigest {@code sha256:<hex>} of the raw manifest bytes the attestation is attached to */
    public static Check verify(byte[] untrustedEnvelope, List<TrustedPublicKey> keys, String manifestDigest) {
        DsseEnvelope envelope;
        try {
            envelope = DsseEnvelope.parse(untrustedEnvelope);
        } catch (SignatureFormatError e) {
            return Check.invalid(null, e.getMessage());
        }
        return verify(envelope, keys, manifestDigest);
    }

    public static Check verify(DsseEnvelope envelope, List<TrustedPublicKey> keys, String manifestDigest) {
        if (!envelope.isInToto()) {
            return Check.invalid(null, "the DSSE payload type is " + envelope.payloadType() + ", not "
                    + DsseEnvelope.IN_TOTO_PAYLOAD_TYPE);
        }
        Optional<TrustedPublicKey> signer = envelope.signer(keys, TrustedPublicKey::key);
        if (signer.isEmpty()) {
            return Check.unknownKey("the attestation is signed by none of the " + keys.size() + " trusted keys");
        }
        return aboutManifest(envelope.payload(), signer.get().identity(), manifestDigest);
    }

    /** The Statement checks once the envelope's signature verified, with {@code keyIdentity} as the signer. */
    public static Check aboutManifest(byte[] verifiedPayload, String keyIdentity, String manifestDigest) {
        InTotoStatement statement;
        try {
            statement = InTotoStatement.parse(verifiedPayload);
        } catch (SignatureFormatError e) {
            return Check.invalid(keyIdentity, e.getMessage());
        }
        if (!statement.names(manifestDigest)) {
            return Check.invalid(keyIdentity, "the attestation's subject does not name manifest " + manifestDigest);
        }
        return Check.valid(keyIdentity, "attestation " + statement.predicateType() + " signed by " + keyIdentity
                + " for " + manifestDigest, statement.predicateType());
    }
}
