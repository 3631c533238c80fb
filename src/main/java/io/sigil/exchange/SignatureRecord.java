package io.sigil.exchange;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A signature of any format, with what was read out of it on the exporting side. Its raw bytes travel as
 * {@code sigil/signatures/sha256/<digest hex>} when {@code included}. On import atomic signatures are parsed again
 * from those bytes (the claims here are only informative); {@code carrier} is the cosign {@code .sig} manifest or
 * OCI referrer that carries it, if any; {@code verdict} is what the exporting Sigil had recorded (absent if none).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SignatureRecord(String signedDigest, String digest, String type, String name, long size, String keyId,
                              String fingerprint, String creator, Long signedAt, String dockerReference,
                              String payloadDigest, String carrier, boolean included, VerdictRecord verdict) {
}
