package io.sigil.signature;

/** The signature bytes, or the payload they carry, do not have the shape the format requires. */
public class SignatureFormatException extends InvalidSignatureException {

    public SignatureFormatException(String message) {
        super(message);
    }

    SignatureFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
