package io.sigil.signature;

import java.util.Objects;

/**
 * What verifying one signature of a format in this package found; {@code io.sigil.signing} turns it into a stored
 * verdict.
 *
 * @param outcome       the result
 * @param keyIdentity   the trusted key (or trust store) the signature is attributed to; null when none
 * @param reason        why, in words an operator understands
 * @param predicateType attestations only: the in-toto predicate type the signed Statement declares; null otherwise
 */
public record Check(Outcome outcome, String keyIdentity, String reason, String predicateType) {

    public enum Outcome { VALID, UNKNOWN_KEY, INVALID }

    public Check {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
    }

    public static Check valid(String keyIdentity, String reason, String predicateType) {
        return new Check(Outcome.VALID, keyIdentity, reason, predicateType);
    }

    public static Check unknownKey(String reason) {
        return new Check(Outcome.UNKNOWN_KEY, null, reason, null);
    }

    public static Check invalid(String keyIdentity, String reason) {
        return new Check(Outcome.INVALID, keyIdentity, reason, null);
    }

    public boolean isValid() {
        return outcome == Outcome.VALID;
    }
}
