package io.sigil.tasks;

/**
 * The work behind one kind of task. Implementations are CDI beans ({@code @ApplicationScoped}); the worker finds the
 * handler whose {@link #name()} equals the task's name. {@link #run} is called outside any transaction: a handler
 * opens its own short transactions, and writes a repository version in exactly one of them.
 */
public interface TaskHandler {

    /** The task name this handler runs, e.g. {@code "repository.modify"}. */
    String name();

    /**
     * Runs the task. Throwing fails the task (its message becomes the task's error); a
     * {@link TaskCanceledException} thrown because {@link TaskContext#checkCanceled()} saw a cancel request marks it
     * canceled instead. The returned value (may be null) is stored as the task's JSON result.
     */
    Object run(TaskContext context) throws Exception;
}
