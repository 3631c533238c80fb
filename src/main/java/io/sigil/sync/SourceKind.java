package io.sigil.sync;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where signatures can come from (signature-formats.md §2–§5); the wire name is the lower-case constant. */
public enum SourceKind {
    EXTENSION, LOOKASIDE, COSIGN, REFERRERS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SourceKind> of(String wireName) {
        return Arrays.stream(values()).filter(k -> k.wireName().equals(wireName)).findFirst();
    }
}
