package io.sigil.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.common.CallerName;
import io.sigil.common.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The entry to the task queue: dispatch work with the resources it locks, look tasks up, wait for them, cancel and
 * delete them. Resource names are free strings such as {@code repository:<uuid>}; a task holding one exclusively
 * excludes every other task naming it, tasks holding it shared exclude only exclusive ones.
 */
@ApplicationScoped
public class TaskDispatcher {

    private static final Duration AWAIT_POLL = Duration.ofMillis(50);

    @Inject
    TaskStore store;

    @Inject
    TaskWorkers workers;

    @Inject
    ObjectMapper json;

    @Inject
    CallerName caller;

    /**
     * Queues a task (committed at once, whatever the caller's transaction does) and wakes the workers. The task
     * belongs to the caller of the current request, if any: only they or an admin may cancel or delete it.
     */
    public TaskRef dispatch(String name, Object parameters, Collection<String> exclusiveResources,
            Collection<String> sharedResources) {
        return dispatch(name, parameters, exclusiveResources, sharedResources, caller.current().orElse(null));
    }

    /** As {@link #dispatch(String, Object, Collection, Collection)}, on behalf of {@code user} (see {@link TaskContext#user()}). */
    public TaskRef dispatch(String name, Object parameters, Collection<String> exclusiveResources,
            Collection<String> sharedResources, String user) {
        return queue(name, parameters, exclusiveResources, sharedResources, user, false);
    }

    /**
     * As {@link #dispatch(String, Object, Collection, Collection, String)}, but in the caller's transaction: the task
     * exists only if that transaction commits, together with whatever the caller records about it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public TaskRef dispatchJoining(String name, Object parameters, Collection<String> exclusiveResources,
            Collection<String> sharedResources, String user) {
        return queue(name, parameters, exclusiveResources, sharedResources, user, true);
    }

    private TaskRef queue(String name, Object parameters, Collection<String> exclusiveResources,
            Collection<String> sharedResources, String user, boolean joining) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a task needs a name");
        }
        JsonNode params = parameters == null ? json.createObjectNode() : json.valueToTree(parameters);
        List<String> exclusive = names(exclusiveResources);
        // A resource held exclusively needs no shared lock as well.
        String[] shared = names(sharedResources).stream().filter(r -> !exclusive.contains(r)).toArray(String[]::new);
        String[] held = exclusive.toArray(String[]::new);
        UUID id = joining ? store.insertJoining(name, params, held, shared, user) : store.insert(name, params, held, shared, user);
        workers.wake(); // when joining, the NOTIFY sent at commit wakes them again
        return new TaskRef(id);
    }

    /** The task, or 404. */
    public TaskView get(UUID id) {
        return store.find(id).orElseThrow(TaskDispatcher::notFound);
    }

    /** Tasks matching the filter, newest first. */
    public TaskList list(TaskFilter filter, int offset, int limit) {
        return store.list(filter, offset, limit);
    }

    /** Polls until the task is final; empty if it is still unfinished after {@code timeout}. */
    public Optional<TaskView> awaitFinished(UUID id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            TaskView task = get(id);
            if (task.state().isFinal()) {
                return Optional.of(task);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            try {
                Thread.sleep(Math.min(AWAIT_POLL.toMillis(), Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /**
     * Cancels a task: a waiting one is canceled at once; a running one becomes canceling until its handler sees it
     * in {@link TaskContext#checkCanceled()}. Canceling twice is harmless; a finished task gives 409.
     */
    public TaskView cancel(UUID id) {
        boolean changed = store.cancel(id);
        TaskView task = get(id);
        if (changed) {
            workers.wake(); // a canceled waiting task may have been all that blocked later ones
            return task;
        }
        if (task.state() == TaskState.CANCELING) {
            return task;
        }
        throw ApiException.conflict("Task " + id + " is already in a final state: " + task.state().value() + ".");
    }

    /** Deletes a finished task; 409 while it is waiting or running. */
    public void delete(UUID id) {
        if (!store.deleteFinished(id)) {
            throw ApiException.conflict("Task " + id + " is not finished; cancel it first.",
                    Map.of("state", get(id).state().value()));
        }
    }

    private static List<String> names(Collection<String> resources) {
        if (resources == null) {
            return List.of();
        }
        if (resources.stream().anyMatch(r -> r == null || r.isBlank())) {
            throw new IllegalArgumentException("resource names must not be blank");
        }
        return resources.stream().distinct().sorted().toList();
    }

    private static ApiException notFound() {
        return ApiException.notFound("Not found.");
    }
}
