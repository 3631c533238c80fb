package io.sigil.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Recently verified Basic credentials, so a client making many calls pays for bcrypt once a minute rather than on
 * every call. Keyed by SHA-256 of {@code username:password}: unambiguous because Basic splits at the first colon,
 * and no password is kept in memory. Changes made by this process clear it; another process sees them within the TTL.
 * Bounded in entries, so many callers cannot make it grow without end.
 */
@Singleton
class CredentialCache {

    static final Duration TTL = Duration.ofSeconds(60);
    private static final int MAX_ENTRIES = 10_000;

    private final Cache<String, Caller> entries;

    CredentialCache() {
        this(Clock.systemUTC());
    }

    /** {@code clock}: the time entries expire by (tests move it by hand). */
    CredentialCache(Clock clock) {
        this.entries = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterWrite(TTL)
                .ticker(() -> nanos(clock.instant())).build();
    }

    Optional<Caller> get(String username, String password) {
        return Optional.ofNullable(entries.getIfPresent(key(username, password)));
    }

    void put(String username, String password, Caller caller) {
        entries.put(key(username, password), caller);
    }

    void clear() {
        entries.invalidateAll();
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static String key(String username, String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((username + ":" + password).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
