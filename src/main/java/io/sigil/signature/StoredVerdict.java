package io.sigil.signature;

import java.time.OffsetDateTime;

/** The verdict recorded for a signature unit, and when it was computed (against the keys trusted then). */
public record StoredVerdict(Verdict.State state, String keyIdentity, String reason, OffsetDateTime computedAt) {
}
