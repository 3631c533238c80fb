package io.sigil.tasks;

/** A task's write refused because the task no longer runs on this worker (see {@link TaskContext#fence()}). */
public class TaskFencedException extends RuntimeException {

    public TaskFencedException(String message) {
        super(message);
    }
}
