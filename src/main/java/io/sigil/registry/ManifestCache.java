package io.sigil.registry;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Manifest bytes by digest, least recently used first out, bounded in total bytes. Manifests are immutable and named
 * by their digest, so an entry never goes stale; the cache only saves the database a read of the bytes.
 */
@ApplicationScoped
public class ManifestCache {

    @ConfigProperty(name = "sigil.registry.manifest-cache-bytes", defaultValue = "67108864")
    long capacity;

    private long used;
    private final LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>(256, 0.75f, true);

    public byte[] get(String digest, Supplier<byte[]> load) {
        synchronized (this) {
            byte[] cached = entries.get(digest);
            if (cached != null) {
                return cached;
            }
        }
        byte[] loaded = load.get();
        put(digest, loaded);
        return loaded;
    }

    private synchronized void put(String digest, byte[] data) {
        if (data.length > capacity / 4 || entries.containsKey(digest)) {
            return;
        }
        entries.put(digest, data);
        used += data.length;
        var it = entries.entrySet().iterator();
        while (used > capacity && it.hasNext()) {
            Map.Entry<String, byte[]> eldest = it.next();
            used -= eldest.getValue().length;
            it.remove();
        }
    }
}
