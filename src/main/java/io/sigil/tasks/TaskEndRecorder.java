package io.sigil.tasks;

import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * Records a task's end, retrying with backoff while the database does not answer (a restart, a fail-over, a full
 * connection pool). What still fails after the retries is kept by {@link TaskRunner} and tried again on each
 * housekeeping round: a task never stays running because its end was lost.
 */
@ApplicationScoped
class TaskEndRecorder {

    @Inject
    TaskStore store;

    /** False when the task was no longer this worker's (reaped, or force-ended) — its recorded state stands. */
    @Retry(maxRetries = -1, delay = 200, jitter = 100, maxDuration = 60_000)
    @ExponentialBackoff(factor = 2, maxDelay = 5_000)
    boolean record(TaskEnd end) {
        return store.finish(end);
    }
}
