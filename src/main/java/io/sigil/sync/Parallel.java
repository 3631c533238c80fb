package io.sigil.sync;

import io.sigil.tasks.TaskContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one sync phase over many items on {@code download_concurrency} threads. The first failure stops the phase
 * (queued items are dropped, running ones interrupted) and is rethrown; cancellation is checked between items.
 */
final class Parallel implements AutoCloseable {

    interface Work<T> {
        void run(T item) throws IOException;
    }

    private final ExecutorService pool;
    private final TaskContext task;
    /** Milliseconds each phase took, by progress code, for the task result. */
    final java.util.Map<String, Long> timings = new java.util.concurrent.ConcurrentHashMap<>();

    Parallel(int threads, TaskContext task) {
        AtomicInteger count = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "sync-" + task.taskId().toString().substring(0, 8) + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.task = task;
    }

    <T> void each(Collection<T> items, Work<T> work, Progress progress) throws IOException {
        ExecutorCompletionService<Void> completion = new ExecutorCompletionService<>(pool);
        List<Future<Void>> futures = new ArrayList<>(items.size());
        boolean done = false;
        try {
            for (T item : items) {
                futures.add(completion.submit(() -> {
                    work.run(item);
                    return null;
                }));
            }
            for (int i = 0; i < items.size(); i++) {
                completion.take().get();
                progress.step();
                task.checkCanceled();
            }
            timings.put(progress.code(), progress.finish());
            done = true;
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            if (!done) {
                futures.forEach(f -> f.cancel(true));
            }
        }
    }

    private static IOException rethrow(Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IOException(cause);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
