package io.sigil.auth;

/** What a caller needs to reach an endpoint, weakest first (the order matters: levels are compared). */
public enum AccessLevel {
    /** Anyone; credentials, if sent, must still be valid. */
    PUBLIC,
    /** An authenticated user, or anyone when {@code sigil.auth.anonymous-read=true}. */
    READ,
    /** An authenticated user. */
    WRITE,
    /** An authenticated admin. */
    ADMIN
}
