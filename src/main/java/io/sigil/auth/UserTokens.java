package io.sigil.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

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

    private final Cache<String, Optional<Stamp>> cache = Caffeine.newBuilder().maximumSize(MAX_ENTRIES)
            .expireAfterWrite(TTL).build();

    /** The current stamp of {@code username}, or empty when no such user exists. */
    Optional<Stamp> current(String username) {
        return cache.get(username, name -> QuarkusTransaction.requiringNew().call(() -> SigilUser.<SigilUser>find(
                "username", name).firstResultOptional().map(u -> new Stamp(u.pulpId, u.tokenGeneration))));
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
        cache.invalidateAll();
    }
}
