package io.sigil.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/** Runs one claimed task through its handler, outside any transaction, logs and records how it ended. */
@ApplicationScoped
class TaskRunner {

    private static final Logger LOG = Logger.getLogger(TaskRunner.class);
    static final String MDC_TASK = "task_id";
    private static final int SUMMARY_CHARS = 400;

    @Inject
    TaskStore store;

    @Inject
    TaskEndRecorder recorder;

    @Inject
    ObjectMapper json;

    @Inject
    io.sigil.metrics.SigilMetrics metrics;

    @Inject
    @Any
    Instance<TaskHandler> handlerBeans;

    private Map<String, TaskHandler> handlers;
    private final Map<UUID, TaskEnd> unrecorded = new ConcurrentHashMap<>();

    @PostConstruct
    void indexHandlers() {
        Map<String, TaskHandler> byName = new HashMap<>();
        for (TaskHandler handler : handlerBeans) {
            if (byName.putIfAbsent(handler.name(), handler) != null) {
                throw new IllegalStateException("two task handlers are named " + handler.name());
            }
        }
        handlers = Map.copyOf(byName);
    }

    /**
     * Runs the task and records its end. Never throws: whatever goes wrong (the database gone while reading the task,
     * a handler's Error) ends as a failed task, recorded now or — when the database does not answer — later, by
     * {@link #recordUnrecorded()}.
     */
    void run(UUID id, String worker, Supplier<String> stopReason) {
        MDC.put(MDC_TASK, id.toString());
        try {
            TaskView task;
            try {
                task = store.find(id).orElse(null);
            } catch (RuntimeException e) {
                LOG.errorf("task %s could not be read: %s", id, e.getMessage());
                record(new TaskEnd(id, worker, TaskState.FAILED, null,
                        description("the task could not be read: " + e.getMessage()), List.of()));
                return;
            }
            if (task != null) { // claimed rows are never deleted, but there is nothing to run either way
                runFound(task, worker, stopReason);
            }
        } finally {
            MDC.remove(MDC_TASK);
        }
    }

    private void runFound(TaskView task, String worker, Supplier<String> stopReason) {
        RunningTask context = new RunningTask(task, worker, store, stopReason);
        LOG.infof("task %s (%s) started on %s; resources %s", task.id(), task.name(), worker, resources(task));
        metrics.taskStarted(task.name());
        long started = System.nanoTime();
        Outcome outcome = execute(task.name(), context, stopReason);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        metrics.taskFinished(task.name(), outcome.state().value(), took);
        logEnd(task, outcome, took);
        record(new TaskEnd(task.id(), worker, outcome.state(), outcome.result(), outcome.error(),
                context.finalReports(outcome.state())));
    }

    /** Ends that could not be recorded yet, by task. */
    Set<UUID> unrecorded() {
        return Set.copyOf(unrecorded.keySet());
    }

    /** Tries again to record the ends the database refused before; called on each housekeeping round. */
    void recordUnrecorded() {
        for (TaskEnd end : List.copyOf(unrecorded.values())) {
            try {
                finish(end);
                unrecorded.remove(end.id());
                LOG.infof("recorded the end of task %s (%s) after the database came back", end.id(), end.state().value());
            } catch (RuntimeException e) {
                return; // still unreachable: the next round tries again
            }
        }
    }

    private Outcome execute(String name, RunningTask context, Supplier<String> stopReason) {
        TaskHandler handler = handlers.get(name);
        if (handler == null) {
            return Outcome.failed(description("no task handler is named '" + name + "'"));
        }
        // Handlers may use request-scoped beans and read through Hibernate outside a transaction.
        ManagedContext requestContext = Arc.container().requestContext();
        requestContext.activate();
        try {
            return new Outcome(TaskState.COMPLETED, json.valueToTree(handler.run(context)), null);
        } catch (TaskCanceledException e) {
            String stopped = stopReason.get();
            if (stopped != null && !context.cancelRequested()) {
                return Outcome.failed(description("aborted: " + stopped));
            }
            return new Outcome(TaskState.CANCELED, null, null);
        } catch (Throwable e) { // even an Error must end the task, or it would stay running on a live worker
            return Outcome.failed(error(e));
        } finally {
            requestContext.terminate();
        }
    }

    private void logEnd(TaskView task, Outcome outcome, Duration took) {
        String line = "task %s (%s) %s after %d ms; resources %s%s";
        String why = outcome.error() != null ? ": " + outcome.error().path("description").asText()
                : outcome.result() != null && !outcome.result().isNull() ? "; result " + abbreviated(outcome.result()) : "";
        Object[] args = {task.id(), task.name(), outcome.state().value(), took.toMillis(), resources(task), why};
        if (outcome.state() == TaskState.FAILED) {
            LOG.warnf(line, args);
        } else {
            LOG.infof(line, args);
        }
    }

    /** The result as one summary line: a sync's, import's or export's counts, cut short when long. */
    private static String abbreviated(JsonNode result) {
        String text = result.toString();
        return text.length() <= SUMMARY_CHARS ? text : text.substring(0, SUMMARY_CHARS) + "…";
    }

    private static List<String> resources(TaskView task) {
        List<String> all = new ArrayList<>(task.exclusiveResources());
        all.addAll(task.sharedResources());
        return all;
    }

    /** Records now (retrying with backoff), or keeps the end for a later round when the database stays away. */
    private void record(TaskEnd end) {
        try {
            finish(end);
        } catch (RuntimeException e) {
            unrecorded.put(end.id(), end);
            LOG.errorf("could not record the end of task %s (%s) yet: %s; trying again until the database answers",
                    end.id(), end.state().value(), e.getMessage());
        }
    }

    private void finish(TaskEnd end) {
        if (!recorder.record(end)) {
            LOG.warnf("task %s ended %s but was no longer running on %s; its recorded state stands",
                    end.id(), end.state().value(), end.worker());
        }
    }

    private ObjectNode description(String description) {
        return json.createObjectNode().put("description", description);
    }

    private ObjectNode error(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
        return description(message).put("traceback", trace.toString());
    }

    private record Outcome(TaskState state, JsonNode result, JsonNode error) {
        static Outcome failed(JsonNode error) {
            return new Outcome(TaskState.FAILED, null, error);
        }
    }
}
