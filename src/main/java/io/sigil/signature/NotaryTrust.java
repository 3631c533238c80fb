package io.sigil.signature;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

/**
 * One notation-style trust policy entry: a trust store (root certificates), the signers it trusts (X.509 subjects,
 * {@code *} for any) and the verification level.
 *
 * @param identity   what verdicts name this trust by (the trusted key's fingerprint)
 * @param identities {@code *}, or subjects as {@code x509.subject:CN=...,O=...} (the prefix is optional)
 */
public record NotaryTrust(String identity, List<X509Certificate> roots, List<String> identities, Level level) {

    /** notaryproject trust-store-trust-policy.md, "Signature Verification details". */
    public enum Level {
        /** Every check enforced. */
        STRICT,
        /** Integrity and authenticity enforced; authentic timestamp, expiry and revocation only logged. */
        PERMISSIVE,
        /** Only integrity enforced; everything else logged. */
        AUDIT;

        public static Level parse(String text) {
            try {
                return text == null ? STRICT : valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("verification level must be strict, permissive or audit, not '" + text + "'");
            }
        }

        public String lowerCase() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean enforcesAuthenticity() {
            return this != AUDIT;
        }

        boolean enforcesTimeChecks() {
            return this == STRICT;
        }
    }

    public NotaryTrust {
        roots = List.copyOf(roots);
        identities = List.copyOf(identities);
    }
}
