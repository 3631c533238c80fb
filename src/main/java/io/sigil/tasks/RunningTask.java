package io.sigil.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The {@link TaskContext} of one task on one worker. Synchronised because a handler may report from several
 * threads; each report is written whole, in order, in its own transaction.
 */
final class RunningTask implements TaskContext {

    /** Cancel checks hit the database at most this often, so handlers may call them per unit of work. */
    private static final long CANCEL_CHECK_NANOS = 100_000_000L;

    private final TaskView task;
    private final String worker;
    private final TaskStore store;
    private final Supplier<String> stopReason;
    private final Map<String, ProgressReport> reports = new LinkedHashMap<>();
    private final List<String> created = new ArrayList<>();
    private long lastCancelCheck;
    private boolean checkedOnce;
    private volatile boolean cancelRequested;

    RunningTask(TaskView task, String worker, TaskStore store, Supplier<String> stopReason) {
        this.task = task;
        this.worker = worker;
        this.store = store;
        this.stopReason = stopReason;
    }

    @Override
    public UUID taskId() {
        return task.id();
    }

    @Override
    public JsonNode parameters() {
        return task.parameters();
    }

    @Override
    public String user() {
        return task.createdBy();
    }

    @Override
    public synchronized void progress(String code, String message, long done, Long total) {
        Objects.requireNonNull(code, "code");
        reports.put(code, new ProgressReport(message, code, "running", done, total));
        store.saveProgress(task.id(), List.copyOf(reports.values()));
    }

    @Override
    public synchronized void createdResource(String href) {
        Objects.requireNonNull(href, "href");
        if (!created.contains(href)) {
            created.add(href);
            store.saveCreatedResources(task.id(), List.of(href));
        }
    }

    @Override
    public synchronized void checkCanceled() {
        String stop = stopReason.get();
        if (stop != null) {
            throw new TaskCanceledException(stop);
        }
        long now = System.nanoTime();
        if (checkedOnce && now - lastCancelCheck < CANCEL_CHECK_NANOS) {
            return;
        }
        checkedOnce = true;
        lastCancelCheck = now;
        TaskState state = store.state(task.id()).orElse(TaskState.CANCELED);
        if (state != TaskState.RUNNING) {
            // canceling, or no longer ours at all (reaped or deleted): stop working either way
            cancelRequested = state == TaskState.CANCELING;
            throw new TaskCanceledException();
        }
    }

    /**
     * Holds this task's row in the caller's transaction and refuses unless the task still runs on this worker: the
     * fence every version write goes through, so a worker presumed dead (reaped) cannot write after all.
     */
    @Override
    public void fence() {
        if (!store.holdRunning(task.id(), worker)) {
            throw new TaskFencedException("task " + task.id() + " no longer runs on worker " + worker
                    + " (it was reaped, force-ended or canceled); its writes are rolled back");
        }
    }

    @Override
    public void recordCreated(String href) {
        Objects.requireNonNull(href, "href");
        if (!store.appendCreated(task.id(), worker, href)) {
            throw new TaskFencedException("task " + task.id() + " no longer runs on worker " + worker
                    + "; its writes are rolled back");
        }
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    /** The reports as they end: those still running take the task's final state. */
    synchronized List<ProgressReport> finalReports(TaskState end) {
        return reports.values().stream()
                .map(r -> "running".equals(r.state())
                        ? new ProgressReport(r.message(), r.code(), end.value(), r.done(), r.total()) : r)
                .toList();
    }
}
