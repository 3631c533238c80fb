package io.sigil.tasks;

/** Thrown inside a task when a cancel was requested; the worker marks the task canceled. */
public class TaskCanceledException extends RuntimeException {
    public TaskCanceledException() {
        super("task was canceled");
    }

    public TaskCanceledException(String message) {
        super(message);
    }
}
