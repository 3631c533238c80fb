package io.sigil.sync;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Computes each key once even when several threads ask at the same time: the first caller does the work in its
 * own thread, the others wait for its result (so nothing waits on work that is merely queued).
 */
final class Memo<K, V> {

    interface Loader<V> {
        V load() throws IOException, SkippedException;
    }

    private final ConcurrentHashMap<K, CompletableFuture<V>> values = new ConcurrentHashMap<>();

    boolean has(K key) {
        return values.containsKey(key);
    }

    V get(K key, Loader<V> loader) throws IOException, SkippedException {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> existing = values.putIfAbsent(key, mine);
        if (existing == null) {
            try {
                mine.complete(loader.load());
            } catch (IOException | SkippedException | RuntimeException e) {
                mine.completeExceptionally(e);
            }
        }
        try {
            return (existing == null ? mine : existing).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof SkippedException skipped) {
                throw skipped;
            }
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        }
    }
}
