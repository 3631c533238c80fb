package io.sigil.exchange;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A manifest; its exact bytes travel as {@code blobs/sha256/<hex>} when {@code included}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ManifestRecord(String digest, String mediaType, long size, boolean included) {
}
