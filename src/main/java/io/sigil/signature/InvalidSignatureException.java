package io.sigil.signature;

/**
 * A signature that must not be accepted: it is malformed, or it does not match what the caller expected.
 * The message says which, in words an operator can act on.
 */
public class InvalidSignatureException extends RuntimeException {

    public InvalidSignatureException(String message) {
        super(message);
    }

    InvalidSignatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
