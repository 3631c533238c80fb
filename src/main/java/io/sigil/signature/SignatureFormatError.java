package io.sigil.signature;

/** Bytes that are not a well-formed envelope of the format they claim; the message says what is wrong. */
public class SignatureFormatError extends RuntimeException {

    public SignatureFormatError(String message) {
        super(message);
    }

    public SignatureFormatError(String message, Throwable cause) {
        super(message, cause);
    }
}
