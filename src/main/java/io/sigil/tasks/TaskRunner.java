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
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/** Runs one claimed task through its handler, outside any transaction, and records how it ended. */
@ApplicationScoped
class TaskRunner {

    private static final Logger LOG = Logger.getLogger(TaskRunner.class);
    private static final int FINISH_ATTEMPTS = 3;

    @Inject
    TaskStore store;

    @Inject
    ObjectMapper json;

    @Inject
    io.sigil.metrics.SigilMetrics metrics;

    @Inject
    @Any
    Instance<TaskHandler> handlerBeans;

    private Map<String, TaskHandler> handlers;

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

    void run(UUID id, String worker, BooleanSupplier stopping) {
        TaskView task = store.find(id).orElse(null);
        if (task == null) {
            return; // claimed rows are never deleted, but there is nothing to run either way
        }
        RunningTask context = new RunningTask(task, worker, store, stopping);
        metrics.taskStarted(task.name());
        long started = System.nanoTime();
        Outcome outcome = execute(task.name(), context, worker, stopping);
        metrics.taskFinished(task.name(), outcome.state().value(), java.time.Duration.ofNanos(System.nanoTime() - started));
        LOG.debugf("task %s (%s) %s", id, task.name(), outcome.state().value());
        record(id, worker, outcome, context);
    }

    private Outcome execute(String name, RunningTask context, String worker, BooleanSupplier stopping) {
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
            if (stopping.getAsBoolean() && !context.cancelRequested()) {
                return Outcome.failed(description("aborted: worker " + worker + " shut down before the task finished"));
            }
            return new Outcome(TaskState.CANCELED, null, null);
        } catch (Throwable e) { // even an Error must end the task, or it would stay running on a live worker
            LOG.infof("task %s (%s) failed: %s", context.taskId(), name, e);
            return Outcome.failed(error(e));
        } finally {
            requestContext.terminate();
        }
    }

    /** Retries briefly: a task left running by a live worker would never be reaped. */
    private void record(UUID id, String worker, Outcome outcome, RunningTask context) {
        for (int attempt = 1; ; attempt++) {
            try {
                if (!store.finish(id, worker, outcome.state(), outcome.result(), outcome.error(),
                        context.finalReports(outcome.state()))) {
                    LOG.warnf("task %s ended %s but was no longer running on %s; its recorded state stands",
                            id, outcome.state().value(), worker);
                }
                return;
            } catch (RuntimeException e) {
                if (attempt == FINISH_ATTEMPTS) {
                    LOG.errorf(e, "could not record the end of task %s", id);
                    return;
                }
                sleepQuietly(attempt * 500L);
            }
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

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Outcome(TaskState state, JsonNode result, JsonNode error) {
        static Outcome failed(JsonNode error) {
            return new Outcome(TaskState.FAILED, null, error);
        }
    }
}
