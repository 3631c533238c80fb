package io.sigil.content;

/** A manifest body that Sigil refuses to store; the message names what is wrong (OCI {@code MANIFEST_INVALID}). */
public class ManifestInvalidException extends RuntimeException {
    public ManifestInvalidException(String message) {
        super(message);
    }
}
