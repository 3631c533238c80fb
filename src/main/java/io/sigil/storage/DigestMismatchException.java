package io.sigil.storage;

/** Written bytes did not hash or count to what the writer claimed; nothing was stored. */
public class DigestMismatchException extends RuntimeException {
    public DigestMismatchException(String message) {
        super(message);
    }
}
