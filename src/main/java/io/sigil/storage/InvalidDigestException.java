package io.sigil.storage;

/** A digest that is malformed or uses an algorithm Sigil does not support. */
public class InvalidDigestException extends IllegalArgumentException {
    public InvalidDigestException(String message) {
        super(message);
    }
}
