package io.sigil.exchange;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The verdict the exporting Sigil had recorded for a signature, against the keys it trusted then. Informative: the
 * importing Sigil verifies again against its own keys.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record VerdictRecord(String state, String keyIdentity, String reason, String computedAt) {
}
