package io.sigil.signature;

import java.time.OffsetDateTime;

/**
 * The verdict recorded for a signature unit, and when it was computed (against the keys trusted then);
 * {@code predicateType} is the verified in-toto predicate type of an attestation, else null.
 */
public record StoredVerdict(Verdict.State state, String keyIdentity, String reason, OffsetDateTime computedAt,
                            String predicateType) {

    public StoredVerdict(Verdict.State state, String keyIdentity, String reason, OffsetDateTime computedAt) {
        this(state, keyIdentity, reason, computedAt, null);
    }
}
