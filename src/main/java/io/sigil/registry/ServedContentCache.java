package io.sigil.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sigil.repository.VersionReader;
import io.sigil.repository.VersionWritten;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps pulls off the database. What a repository version holds never changes, so lookups (a tag's manifest, a blob's
 * size) are cached under the version number they were made in; only the number of a repository's latest version
 * needs refreshing. This process learns a new number as soon as one of its own versions commits (a push's or a task's);
 * versions written by other processes show after at most {@code sigil.registry.latest-version-cache}. Misses are never cached,
 * so a blob is found the moment its upload completes. Found lookups are bounded in number; the latest numbers are one
 * per repository pulled from.
 */
@ApplicationScoped
public class ServedContentCache {

    private static final int MAX_ENTRIES = 100_000;

    @Inject
    VersionReader reader;

    @ConfigProperty(name = "sigil.registry.latest-version-cache", defaultValue = "1s")
    Duration latestLifetime;

    private record Latest(int number, long expiresAt) {
    }

    /** A lookup in one version of a repository ({@code latest}: made with the live latest-version condition). */
    private record Key(long repositoryId, int version, boolean latest, String kind, String reference) {
    }

    private final ConcurrentHashMap<Long, Latest> latest = new ConcurrentHashMap<>();
    private final Cache<Key, Object> found = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).build();

    /** Looks up {@code reference} in what {@code served} serves, caching only what is found. */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> lookup(ServedRepository served, String kind, String reference, Supplier<Optional<T>> query) {
        boolean live = served.pinnedVersion() == null;
        int version = live ? latestNumber(served.repositoryId()) : served.pinnedVersion();
        Key key = new Key(served.repositoryId(), version, live, kind, reference);
        Object cached = found.getIfPresent(key);
        if (cached != null) {
            return Optional.of((T) cached);
        }
        Optional<T> result = query.get();
        result.ifPresent(value -> found.put(key, value));
        return result;
    }

    /** Learns of each version this process commits, a push's or a task's, the moment it commits. */
    void written(@Observes(during = TransactionPhase.AFTER_SUCCESS) VersionWritten version) {
        advanced(version.repositoryId(), version.number());
    }

    private void advanced(long repositoryId, int number) {
        long expiresAt = System.nanoTime() + latestLifetime.toNanos();
        latest.merge(repositoryId, new Latest(number, expiresAt),
                (old, now) -> old.number > now.number ? new Latest(old.number, expiresAt) : now);
    }

    private int latestNumber(long repositoryId) {
        long now = System.nanoTime();
        Latest known = latest.get(repositoryId);
        if (known != null && known.expiresAt - now > 0) {
            return known.number;
        }
        int number = reader.latestVersion(repositoryId);
        // Never step back: a concurrent push may already have recorded a newer number.
        latest.merge(repositoryId, new Latest(number, now + latestLifetime.toNanos()),
                (old, fresh) -> old.number > fresh.number ? new Latest(old.number, fresh.expiresAt) : fresh);
        return latest.get(repositoryId).number;
    }
}
