package io.sigil.exchange;

/** A tag: its name and the digest of its manifest. */
public record TagRecord(String name, String manifest) {
}
