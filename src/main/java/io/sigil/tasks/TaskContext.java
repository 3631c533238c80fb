package io.sigil.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/** What a running task sees of itself: its parameters, and ways to report progress and results. */
public interface TaskContext {

    UUID taskId();

    /** The JSON parameters given at dispatch. */
    JsonNode parameters();

    /** The user who dispatched the task, or null for system tasks. */
    String user();

    /** Creates or updates the progress report with this code (persisted at once, visible to pollers). */
    void progress(String code, String message, long done, Long total);

    /** Records an href the task created, e.g. the new repository version. */
    void createdResource(String href);

    /** Throws {@link TaskCanceledException} if someone asked to cancel this task. Call it between units of work. */
    void checkCanceled();

    /**
     * Call inside a transaction that writes what the task produces (a repository version): holds the task's row
     * until that transaction ends and throws {@link TaskFencedException} — rolling the transaction back — unless the
     * task still runs on this worker. A paused or partitioned worker whose task was failed meanwhile thus writes
     * nothing.
     */
    void fence();

    /**
     * Records an href the task created, in the caller's transaction: it shows on the task only if that transaction
     * commits, and (like {@link #fence()}) refuses unless the task still runs on this worker. The task's row stays
     * held until the commit, so report no progress after it in the same transaction.
     */
    void recordCreated(String href);
}
