package io.sigil.signature;

import java.util.Objects;

/**
 * The outcome of verifying one signature, with a reason worth showing to an operator.
 *
 * @param state                 the outcome
 * @param keyIdentity           which trusted key the signature is attributed to: for OpenPGP the upper-case hex V4
 *                              fingerprint of the primary key, for cosign the upper-case hex SHA-256 of the public
 *                              key's DER SubjectPublicKeyInfo, for keyless and PKI trust the trusted key's material
 *                              fingerprint ({@link TrustedKey#materialFingerprint}); null when no trusted key is involved
 * @param reason                why the state was reached
 * @param signedDockerReference for {@link State#VALID} only: the docker-reference the signature vouches for, to be
 *                              checked with {@link #requireIdentity}; null otherwise, and null for formats that bind
 *                              a signature to the manifest digest only (Notary Project, Sigstore bundles, attestations)
 * @param predicateType         attestations only: the in-toto predicate type of the verified Statement
 */
public record Verdict(State state, String keyIdentity, String reason, String signedDockerReference, String predicateType) {

    public enum State {
        /** Made by a trusted key, cryptographically sound, well-formed, and for the expected manifest digest. */
        VALID,
        /** Made by none of the trusted keys (or, for key-less formats, verified by none of them). */
        UNKNOWN_KEY,
        /** Malformed, not signed, made by a revoked or expired key, expired, forged, or for another manifest. */
        INVALID
    }

    public Verdict {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        if (state != State.VALID && signedDockerReference != null) {
            throw new IllegalArgumentException("only valid verdicts carry a signed docker reference");
        }
    }

    public Verdict(State state, String keyIdentity, String reason, String signedDockerReference) {
        this(state, keyIdentity, reason, signedDockerReference, null);
    }

    /** A format's check ({@link Check}) as a verdict; such formats sign no docker reference. */
    public static Verdict of(Check check) {
        return new Verdict(State.valueOf(check.outcome().name()), check.keyIdentity(), check.reason(), null,
                check.predicateType());
    }

    static Verdict valid(String keyIdentity, String signedDockerReference) {
        return new Verdict(State.VALID, keyIdentity, "signed by " + keyIdentity + " for " + signedDockerReference,
                signedDockerReference);
    }

    /** Valid through a certificate: {@code signer} is who it names, {@code keyIdentity} the trust that vouched. */
    static Verdict validCertified(String keyIdentity, String signer, String signedDockerReference) {
        return new Verdict(State.VALID, keyIdentity, "signed by " + signer + ", certified under trusted key " + keyIdentity
                + ", for " + signedDockerReference, signedDockerReference);
    }

    static Verdict unknownKey(String reason) {
        return new Verdict(State.UNKNOWN_KEY, null, reason, null);
    }

    static Verdict invalid(String keyIdentity, String reason) {
        return new Verdict(State.INVALID, keyIdentity, reason, null);
    }

    public boolean isValid() {
        return state == State.VALID;
    }

    /**
     * Applies an identity rule to a valid verdict: returns it unchanged if the signed reference is accepted for
     * {@code imageReference}, else an {@link State#INVALID} verdict saying so. Other verdicts, and those of formats
     * that sign the manifest digest only (no docker reference), are returned unchanged.
     */
    public Verdict requireIdentity(String imageReference, IdentityRule rule) {
        if (!isValid() || signedDockerReference == null || IdentityRule.identityMatches(signedDockerReference, imageReference, rule)) {
            return this;
        }
        return invalid(keyIdentity, "signed identity \"" + signedDockerReference + "\" is not accepted for \""
                + imageReference + "\" by " + rule);
    }
}
