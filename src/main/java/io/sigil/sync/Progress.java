package io.sigil.sync;

import io.sigil.tasks.TaskContext;

/** One progress report of a sync phase, written per batch (each write is a database update), and once at the end. */
final class Progress {

    private static final long INTERVAL_NANOS = 500_000_000L;

    private final TaskContext task;
    private final String code;
    private final String message;
    private final long total;
    private long done;
    private long lastWrite;
    private final long started = System.nanoTime();

    Progress(TaskContext task, String code, String message, long total) {
        this.task = task;
        this.code = code;
        this.message = message;
        this.total = total;
        this.lastWrite = System.nanoTime();
        task.progress(code, message, 0, total);
    }

    String code() {
        return code;
    }

    synchronized void step() {
        done++;
        long now = System.nanoTime();
        if (now - lastWrite >= INTERVAL_NANOS) {
            lastWrite = now;
            task.progress(code, message, done, total);
        }
    }

    /** Writes the final count; returns how long the phase took, in milliseconds. */
    synchronized long finish() {
        task.progress(code, message, done, total);
        return (System.nanoTime() - started) / 1_000_000;
    }
}
