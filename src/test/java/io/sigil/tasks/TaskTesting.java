package io.sigil.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Bounded waits and dispatch shortcuts shared by the task tests. */
final class TaskTesting {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final TaskDispatcher tasks;

    TaskTesting(TaskDispatcher tasks) {
        this.tasks = tasks;
    }

    static String resource() {
        return "repository:" + UUID.randomUUID();
    }

    static String key() {
        return UUID.randomUUID().toString();
    }

    /** A task running until {@link TestHandlers#release} of {@code key}. */
    UUID hold(String key, List<String> exclusive, List<String> shared) {
        return tasks.dispatch("test.hold", Map.of("key", key), exclusive, shared).id();
    }

    TaskView finished(UUID id) {
        return tasks.awaitFinished(id, TIMEOUT).orElseThrow(() -> new AssertionError("task " + id + " did not finish"));
    }

    TaskView awaitState(UUID id, TaskState state) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            TaskView task = tasks.get(id);
            if (task.state() == state) {
                return task;
            }
            sleep(20);
        }
        return fail("task " + id + " never became " + state.value() + "; it is " + tasks.get(id).state().value());
    }

    /** The task's first progress report, once one is stored. */
    ProgressReport awaitProgress(UUID id) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<ProgressReport> reports = tasks.get(id).progressReports();
            if (!reports.isEmpty()) {
                return reports.get(0);
            }
            sleep(20);
        }
        return fail("task " + id + " never reported progress");
    }

    /** Watches the task for a while: it must stay waiting all along (a worker was free to run it). */
    void assertStaysWaiting(UUID id) {
        long until = System.nanoTime() + Duration.ofMillis(800).toNanos();
        while (System.nanoTime() < until) {
            assertEquals(TaskState.WAITING, tasks.get(id).state(), "task " + id + " should still be blocked");
            sleep(50);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
