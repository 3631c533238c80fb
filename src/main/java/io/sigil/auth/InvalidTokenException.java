package io.sigil.auth;

/** A registry token that is not ours, was altered, has expired or was issued for another service. */
public class InvalidTokenException extends RuntimeException {

    public InvalidTokenException(String message) {
        super(message);
    }
}
