package io.sigil.auth;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a user's registry tokens are bound to: the user's id (a deleted and re-created name is another user) and its
 * token generation (incremented by a password change or by {@link #endTokensOf}). Looked up on every use of a token,
 * so cached briefly: a change made by this process applies at once, one made by another within {@link #TTL}.
 */
@ApplicationScoped
public class UserTokens {

    static final Duration TTL = Duration.ofSeconds(5);
    private static final int MAX_ENTRIES = 10_000;

    /** The user a token was issued to, and the generation it was issued under. */
    record Stamp(UUID user, long generation) {
    }

    private record Entry(Optional<Stamp> stamp, long fetchedAt) {
    }

    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    /** The current stamp of {@code username}, or empty when no such user exists. */
    Optional<Stamp> current(String username) {
        long now = System.nanoTime();
        Entry entry = cache.get(username);
        if (entry != null && now - entry.fetchedAt() < TTL.toNanos()) {
            return entry.stamp();
        }
        Optional<Stamp> stamp = QuarkusTransaction.requiringNew().call(() -> SigilUser.<SigilUser>find("username", username)
                .firstResultOptional().map(u -> new Stamp(u.pulpId, u.tokenGeneration)));
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(username, new Entry(stamp, now));
        return stamp;
    }

    /**
     * Ends every registry token {@code username} holds now (e.g. when a role is taken away). Joins the caller's
     * transaction, if any, so the change and the end of the tokens commit together.
     */
    public void endTokensOf(String username) {
        QuarkusTransaction.joiningExisting().run(() -> SigilUser.update(
                "tokenGeneration = tokenGeneration + 1 where username = ?1", username));
        forget();
    }

    /** Drops what is cached: after users changed in this process. */
    void forget() {
        cache.clear();
    }
}
