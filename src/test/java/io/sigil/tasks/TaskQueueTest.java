package io.sigil.tasks;

import static io.sigil.tasks.TaskTesting.key;
import static io.sigil.tasks.TaskTesting.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sigil.common.ApiException;
import io.sigil.testing.PostgresDatabaseResource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class TaskQueueTest {

    @Inject
    TaskDispatcher tasks;

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
    void completesWithResultProgressAndCreatedResources() {
        String repo = resource();
        String href = "/pulp/api/v3/repositories/container/container/" + UUID.randomUUID() + "/versions/1/";
        UUID id = tasks.dispatch("test.echo", Map.of("href", href), List.of(repo), List.of("remote:r1", repo), "alice").id();

        TaskView task = t.finished(id);

        assertEquals(TaskState.COMPLETED, task.state());
        assertEquals(href, task.result().path("echo").path("href").asText());
        assertEquals("alice", task.result().path("user").asText(), "the handler sees who dispatched it");
        assertEquals("alice", task.createdBy());
        assertEquals(List.of(href), task.createdResources());
        assertEquals(List.of(new ProgressReport("Counting items", "test.items", "completed", 3, 3L)), task.progressReports());
        assertEquals(List.of(repo), task.exclusiveResources());
        assertEquals(List.of("remote:r1"), task.sharedResources(), "an exclusive lock covers the shared one");
        assertNotNull(task.worker());
        assertFalse(task.startedAt().isBefore(task.createdAt()));
        assertFalse(task.finishedAt().isBefore(task.startedAt()));
        assertNull(task.error());
    }

    @Test
    void failingTaskRecordsError() {
        TaskView task = t.finished(tasks.dispatch("test.fail", Map.of("message", "boom"), List.of(), List.of()).id());

        assertEquals(TaskState.FAILED, task.state());
        assertEquals("boom", task.error().path("description").asText());
        String traceback = task.error().path("traceback").asText();
        assertTrue(traceback.contains("IllegalStateException") && traceback.contains("TestHandlers$Fail"), traceback);
        assertNull(task.result());
    }

    @Test
    void unknownTaskNameFails() {
        TaskView task = t.finished(tasks.dispatch("test.no-such-handler", null, List.of(), List.of()).id());

        assertEquals(TaskState.FAILED, task.state());
        assertEquals("no task handler is named 'test.no-such-handler'", task.error().path("description").asText());
    }

    @Test
    void tasksOnOneExclusiveResourceNeverOverlap() {
        String repo = resource();
        String first = key();
        String second = key();
        UUID a = t.hold(first, List.of(repo), List.of());
        t.awaitState(a, TaskState.RUNNING);
        UUID b = t.hold(second, List.of(repo), List.of());

        t.assertStaysWaiting(b);
        TestHandlers.release(first);
        TestHandlers.release(second);

        assertRanAfter(t.finished(b), t.finished(a));
    }

    @Test
    void tasksOnDifferentResourcesRunInParallel() {
        UUID group = UUID.randomUUID();
        assertMet(meet(group, List.of(resource()), List.of()), meet(group, List.of(resource()), List.of()));
    }

    @Test
    void sharedLocksRunTogether() {
        String repo = resource();
        UUID group = UUID.randomUUID();
        assertMet(meet(group, List.of(), List.of(repo)), meet(group, List.of(), List.of(repo)));
    }

    @Test
    void exclusiveLockBlocksSharedOne() {
        String repo = resource();
        String writer = key();
        UUID a = t.hold(writer, List.of(repo), List.of());
        t.awaitState(a, TaskState.RUNNING);
        String reader = key();
        UUID b = t.hold(reader, List.of(), List.of(repo));

        t.assertStaysWaiting(b);
        TestHandlers.release(writer);
        TestHandlers.release(reader);

        assertRanAfter(t.finished(b), t.finished(a));
    }

    @Test
    void sharedLockBlocksExclusiveOneAndLaterReadersQueueBehindIt() {
        String repo = resource();
        String reader = key();
        UUID a = t.hold(reader, List.of(), List.of(repo));
        t.awaitState(a, TaskState.RUNNING);
        String writer = key();
        UUID b = t.hold(writer, List.of(repo), List.of());
        String lateReader = key();
        UUID c = t.hold(lateReader, List.of(), List.of(repo));

        // c could share with a, but must not overtake the writer b queued before it
        t.assertStaysWaiting(b);
        assertEquals(TaskState.WAITING, tasks.get(c).state());
        List.of(reader, writer, lateReader).forEach(TestHandlers::release);

        TaskView first = t.finished(a);
        TaskView second = t.finished(b);
        assertRanAfter(second, first);
        assertRanAfter(t.finished(c), second);
    }

    @Test
    void cancelingWaitingTaskEndsItAtOnce() {
        String repo = resource();
        String first = key();
        UUID a = t.hold(first, List.of(repo), List.of());
        t.awaitState(a, TaskState.RUNNING);
        String second = key();
        UUID b = t.hold(second, List.of(repo), List.of());

        TaskView canceled = tasks.cancel(b);

        assertEquals(TaskState.CANCELED, canceled.state());
        assertNotNull(canceled.finishedAt());
        TestHandlers.release(first);
        TestHandlers.release(second);
        assertEquals(TaskState.COMPLETED, t.finished(a).state());
        TaskView after = tasks.get(b);
        assertEquals(TaskState.CANCELED, after.state());
        assertNull(after.startedAt());
        assertFalse(TestHandlers.STARTED.contains(second), "a canceled waiting task never runs");
        ApiException again = assertThrows(ApiException.class, () -> tasks.cancel(b));
        assertEquals(409, again.status());
    }

    @Test
    void cancelingRunningTaskStopsItsHandler() {
        UUID a = t.hold(key(), List.of(resource()), List.of()); // never released
        t.awaitState(a, TaskState.RUNNING);
        assertEquals(new ProgressReport("Holding", "test.hold", "running", 0, null), t.awaitProgress(a),
                "progress is visible while the task runs");
        assertTrue(tasks.awaitFinished(a, Duration.ofMillis(200)).isEmpty(), "awaitFinished gives up after its timeout");

        TaskView canceling = tasks.cancel(a);

        assertTrue(Set.of(TaskState.CANCELING, TaskState.CANCELED).contains(canceling.state()), canceling.state().value());
        TaskView task = t.finished(a);
        assertEquals(TaskState.CANCELED, task.state());
        assertNotNull(task.startedAt());
        assertNull(task.error());
        assertEquals("canceled", task.progressReports().get(0).state(), "reports end with the task");
    }

    @Test
    void tasksOfDeadWorkerAreFailedAndWorkerRemoved() {
        String dead = "dead-worker-" + UUID.randomUUID();
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("INSERT INTO worker (name, started_at, last_heartbeat)"
                    + " VALUES (:w, now() - interval '2 hours', now() - interval '1 hour')")
                    .setParameter("w", dead).executeUpdate();
            em.createNativeQuery("INSERT INTO task (pulp_id, name, state, worker, started_at)"
                    + " VALUES (:id, 'test.hold', 'running', :w, now() - interval '1 hour')")
                    .setParameter("id", id).setParameter("w", dead).executeUpdate();
        });

        TaskView task = t.finished(id);

        assertEquals(TaskState.FAILED, task.state());
        assertEquals("worker " + dead + " died", task.error().path("description").asText());
        long rows = QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("SELECT count(*) FROM worker WHERE name = :w").setParameter("w", dead)
                .getSingleResult()).longValue());
        assertEquals(0, rows, "the dead worker's row is deleted");
    }

    /** Both meeting tasks completed, so they ran at the same time (each waits for the other). */
    private void assertMet(UUID a, UUID b) {
        assertEquals(TaskState.COMPLETED, t.finished(a).state());
        assertEquals(TaskState.COMPLETED, t.finished(b).state());
    }

    private UUID meet(UUID group, List<String> exclusive, List<String> shared) {
        return tasks.dispatch("test.meet", Map.of("group", group.toString(), "parties", 2), exclusive, shared).id();
    }

    private static void assertRanAfter(TaskView later, TaskView earlier) {
        assertEquals(TaskState.COMPLETED, earlier.state());
        assertEquals(TaskState.COMPLETED, later.state());
        assertFalse(later.startedAt().isBefore(earlier.finishedAt()),
                "started " + later.startedAt() + " before the other finished at " + earlier.finishedAt());
    }
}
