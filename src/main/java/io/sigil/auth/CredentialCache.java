package io.sigil.auth;

import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recently verified Basic credentials, so a client making many calls pays for bcrypt once a minute rather than on
 * every call. Keyed by SHA-256 of {@code username:password}: unambiguous because Basic splits at the first colon,
 * and no password is kept in memory. Changes made by this process clear it; another process sees them within the TTL.
 */
@Singleton
class CredentialCache {

    static final Duration TTL = Duration.ofSeconds(60);
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(Caller caller, Instant expires) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    CredentialCache() {
        this(Clock.systemUTC());
    }

    CredentialCache(Clock clock) {
        this.clock = clock;
    }

    Optional<Caller> get(String username, String password) {
        Entry entry = entries.get(key(username, password));
        if (entry == null || !clock.instant().isBefore(entry.expires())) {
            return Optional.empty();
        }
        return Optional.of(entry.caller());
    }

    void put(String username, String password, Caller caller) {
        if (entries.size() >= MAX_ENTRIES) {
            Instant now = clock.instant();
            entries.values().removeIf(e -> !now.isBefore(e.expires()));
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear(); // many live callers: forget them all rather than grow without bound
            }
        }
        entries.put(key(username, password), new Entry(caller, clock.instant().plus(TTL)));
    }

    void clear() {
        entries.clear();
    }

    private static String key(String username, String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((username + ":" + password).getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
