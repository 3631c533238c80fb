package io.sigil.tasks;

import java.time.Duration;

/**
 * Wakes idle workers. A worker reads {@link #generation()} before it looks for work and then waits only if nothing
 * was signalled since, so a dispatch that lands between "found nothing" and "wait" is never missed.
 */
final class Wakeup {

    private long generation;

    synchronized long generation() {
        return generation;
    }

    synchronized void signal() {
        generation++;
        notifyAll();
    }

    synchronized void await(long seen, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        long left;
        while (generation == seen && (left = deadline - System.nanoTime()) > 0) {
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
