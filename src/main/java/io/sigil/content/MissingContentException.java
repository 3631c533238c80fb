package io.sigil.content;

import java.util.List;

/** A unit refers to blobs or manifests that Sigil does not have; lists every missing digest at once. */
public class MissingContentException extends RuntimeException {

    private final List<String> missing;

    public MissingContentException(String what, List<String> missing) {
        super(what + " refers to unknown content: " + String.join(", ", missing));
        this.missing = List.copyOf(missing);
    }

    public List<String> missing() {
        return missing;
    }
}
