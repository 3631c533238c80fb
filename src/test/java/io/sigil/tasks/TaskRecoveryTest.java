package io.sigil.tasks;

import static io.sigil.tasks.TaskTesting.key;
import static io.sigil.tasks.TaskTesting.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sigil.testing.PostgresDatabaseResource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tasks always end: a gone worker, a wedged handler, a lost heartbeat, a task the worker lost track of, a fence. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class TaskRecoveryTest {

    @Inject
    TaskDispatcher tasks;

    @Inject
    TaskWorkers workers;

    @Inject
    EntityManager em;

    private TaskTesting t;

    @BeforeEach
    void setUp() {
        t = new TaskTesting(tasks);
    }

    @AfterEach
    void releaseLeftovers() {
        TestHandlers.releaseAll();
    }

    @Test
    void cancelingTheTaskOfAGoneWorkerEndsItAtOnce() {
        UUID id = insertRunning("gone-worker-" + UUID.randomUUID(), "now()");

        TaskView canceled = tasks.cancel(id);

        assertEquals(TaskState.CANCELED, canceled.state());
        assertTrue(canceled.error().path("description").asText().contains("worker had gone"), canceled.error().toString());
    }

    @Test
    void aTaskThisWorkerNoLongerRunsIsFailedByItsOwnHousekeeping() {
        // As if the claim committed but its answer never reached the worker (the connection broke).
        UUID id = insertRunning(workers.name(), "now() - interval '1 minute'");

        TaskView task = t.finished(id);

        assertEquals(TaskState.FAILED, task.state());
        assertTrue(task.error().path("description").asText().contains("lost track"), task.error().toString());
    }

    @Test
    void aHandlerThatIgnoresTheCancelIsEndedAfterTheWorkerTimeout() {
        String key = key();
        String repo = resource();
        UUID id = tasks.dispatch("test.stubborn", Map.of("key", key), List.of(repo), List.of()).id();
        t.awaitState(id, TaskState.RUNNING);

        assertEquals(TaskState.CANCELING, tasks.cancel(id).state());

        TaskView task = t.finished(id);
        assertEquals(TaskState.CANCELED, task.state());
        assertTrue(task.error().path("description").asText().contains("did not stop"), task.error().toString());
        UUID next = tasks.dispatch("test.quick", Map.of(), List.of(repo), List.of()).id();
        assertEquals(TaskState.COMPLETED, t.finished(next).state(), "the resource is free again");
    }

    @Test
    void aWorkerPresumedDeadStopsItsTasksItself() {
        UUID id = t.hold(key(), List.of(resource()), List.of()); // never released
        t.awaitState(id, TaskState.RUNNING);

        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("DELETE FROM worker WHERE name = :w")
                .setParameter("w", workers.name()).executeUpdate());

        TaskView task = t.finished(id);
        assertEquals(TaskState.FAILED, task.state());
        assertTrue(task.error().path("description").asText().contains("presumed dead"), task.error().toString());
    }

    @Test
    void aTaskFailedMeanwhileCannotPassItsFence() {
        String key = key();
        UUID id = tasks.dispatch("test.fenced-write", Map.of("key", key), List.of(resource()), List.of()).id();
        t.awaitState(id, TaskState.RUNNING);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "UPDATE task SET state = 'failed', error = '{\"description\": \"reaped\"}' WHERE pulp_id = :id")
                .setParameter("id", id).executeUpdate());

        TestHandlers.release(key);

        awaitOutcome(key);
        assertTrue(TestHandlers.FENCE_OUTCOMES.get(key).contains("no longer runs"), TestHandlers.FENCE_OUTCOMES.get(key));
        TaskView task = tasks.get(id);
        assertEquals(TaskState.FAILED, task.state());
        assertEquals("reaped", task.error().path("description").asText(), "the reaper's record stands");
    }

    @Test
    void aRunningTaskPassesItsFence() {
        String key = key();
        UUID id = tasks.dispatch("test.fenced-write", Map.of("key", key), List.of(resource()), List.of()).id();
        t.awaitState(id, TaskState.RUNNING);

        TestHandlers.release(key);

        assertEquals(TaskState.COMPLETED, t.finished(id).state());
        assertEquals("wrote", TestHandlers.FENCE_OUTCOMES.get(key));
    }

    private void awaitOutcome(String key) {
        for (int i = 0; i < 200 && !TestHandlers.FENCE_OUTCOMES.containsKey(key); i++) {
            TaskTesting.sleep(50);
        }
    }

    private UUID insertRunning(String worker, String startedAt) {
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("INSERT INTO task (pulp_id, name, state, worker, started_at)"
                        + " VALUES (:id, 'test.hold', 'running', :w, " + startedAt + ")")
                .setParameter("id", id).setParameter("w", worker).executeUpdate());
        return id;
    }
}
