package io.sigil.exchange;

/** A blob of the exported versions; {@code included} says whether its bytes are in this archive. */
public record BlobRecord(String digest, long size, boolean included) {
}
