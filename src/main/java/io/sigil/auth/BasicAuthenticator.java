package io.sigil.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Turns an {@code Authorization} header into a {@link Caller}, verifying Basic credentials through a short cache. */
@ApplicationScoped
class BasicAuthenticator {

    @Inject
    UserService users;

    @Inject
    CredentialCache cache;

    @Inject
    LoginThrottle throttle;

    /** Too many failed checks for this user or from this address: answered without checking the password. */
    static final class ThrottledException extends RuntimeException {
        final long retryAfterSeconds;

        ThrottledException(long retryAfterSeconds) {
            super("too many failed logins", null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    /**
     * {@link Caller#ANONYMOUS} when no header is sent; the user when Basic credentials match; empty when the
     * credentials are wrong, malformed or of another scheme. Recently verified credentials are answered from the cache
     * (no bcrypt, never throttled); others take a slot of the {@link LoginThrottle} first.
     *
     * @param address the client's address, for throttling
     * @throws ThrottledException when the user or the address has used up its failed attempts
     */
    Optional<Caller> authenticate(String authorization, String address) {
        if (authorization == null || authorization.isBlank()) {
            return Optional.of(Caller.ANONYMOUS);
        }
        String[] pair = decodeBasic(authorization);
        if (pair == null) {
            return Optional.empty();
        }
        Optional<Caller> cached = cache.get(pair[0], pair[1]);
        if (cached.isPresent()) {
            return cached;
        }
        LoginThrottle.Attempt attempt = throttle.tryAcquire(pair[0], address)
                .orElseThrow(() -> new ThrottledException(throttle.retryAfter(pair[0], address)));
        Optional<Caller> verified = users.verify(pair[0], pair[1]);
        if (verified.isPresent()) {
            throttle.succeeded(attempt);
            cache.put(pair[0], pair[1], verified.get());
        }
        return verified;
    }

    /** {username, password} from {@code Basic base64(username:password)}, or null if the header is not that. */
    static String[] decodeBasic(String authorization) {
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Basic")) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(parts[1].trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }
}
