package io.sigil.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Manifest bytes by digest, bounded in total bytes (Caffeine weighs each entry by its length). Manifests are immutable
 * and named by their digest, so an entry never goes stale; the cache only saves the database a read of the bytes.
 */
@ApplicationScoped
public class ManifestCache {

    @ConfigProperty(name = "sigil.registry.manifest-cache-bytes", defaultValue = "67108864")
    long capacity;

    private Cache<String, byte[]> entries;

    @PostConstruct
    void buildCache() {
        entries = Caffeine.newBuilder().maximumWeight(capacity).<String, byte[]>weigher((digest, data) -> data.length).build();
    }

    public byte[] get(String digest, Supplier<byte[]> load) {
        byte[] cached = entries.getIfPresent(digest);
        if (cached != null) {
            return cached;
        }
        byte[] loaded = load.get(); // outside the cache's lock: it is a database read
        if (loaded.length <= capacity / 4) { // one huge manifest must not push out many small ones
            entries.put(digest, loaded);
        }
        return loaded;
    }
}
