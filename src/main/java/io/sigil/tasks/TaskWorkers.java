package io.sigil.tasks;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * This process's task workers: threads that claim and run tasks, plus housekeeping that heartbeats the worker row
 * and reaps dead workers of any process. Started once the schema is migrated, stopped before the datasource closes.
 */
@ApplicationScoped
class TaskWorkers {

    private static final Logger LOG = Logger.getLogger(TaskWorkers.class);
    /** How long shutdown waits for running tasks to notice it (via checkCanceled) before failing them. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    /** The longest a worker waits between claims while the database does not answer. */
    private static final long MAX_BACKOFF_MS = 5_000;

    @Inject
    TasksConfig config;

    @Inject
    TaskStore store;

    @Inject
    TaskRunner runner;

    @Inject
    DataSource dataSource;

    private final String name = workerName();
    private final Wakeup wakeup = new Wakeup();
    private final Map<Thread, UUID> running = new ConcurrentHashMap<>();
    /** Tasks this worker must stop, with the reason (its heartbeat was lost, or a cancel was not heeded). */
    private final Map<UUID, String> stops = new ConcurrentHashMap<>();
    /** When this worker first saw each of its tasks canceling. */
    private final Map<UUID, Long> cancelSeen = new ConcurrentHashMap<>();
    private volatile long lastBeat = System.nanoTime();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;
    private ScheduledExecutorService housekeeping;
    private TaskNotifications notifications;

    void start(@Observes StartupEvent event) {
        if (config.workerTimeout().compareTo(config.heartbeatInterval().multipliedBy(2)) < 0) {
            throw new IllegalStateException("sigil.tasks.worker-timeout must be at least twice sigil.tasks.heartbeat-interval");
        }
        if (config.workers() > 0) {
            store.register(name);
            notifications = new TaskNotifications(dataSource, wakeup::signal);
            notifications.start();
            for (int i = 0; i < config.workers(); i++) {
                Thread thread = new Thread(this::work, "sigil-task-worker-" + i);
                thread.setDaemon(true); // a handler that ignores shutdown must not keep the JVM alive
                threads.add(thread);
                thread.start();
            }
        }
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sigil-task-housekeeping"));
        housekeeping.scheduleWithFixedDelay(this::housekeep, 0, config.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof("task worker %s started with %d thread(s)", name, config.workers());
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        stopping = true;
        wakeup.signal();
        if (notifications != null) {
            notifications.stop();
        }
        if (housekeeping != null) { // null when start refused the configuration
            housekeeping.shutdown();
            housekeeping.awaitTermination(5, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        for (UUID id : running.values()) {
            try {
                store.abandon(id, name, "worker " + name + " shut down before the task finished");
            } catch (RuntimeException e) {
                LOG.warnf("could not fail task %s at shutdown (another process will reap it): %s", id, e.getMessage());
            }
        }
        if (config.workers() > 0) {
            store.unregister(name);
        }
    }

    /** Wakes this process's idle workers, e.g. right after a local dispatch. */
    void wake() {
        wakeup.signal();
    }

    String name() {
        return name;
    }

    /** Claims and runs tasks until shutdown; survives anything, backing off while the database does not answer. */
    private void work() {
        long backoff = 0;
        while (!stopping) {
            try {
                long seen = wakeup.generation();
                Optional<UUID> claimed = store.claim(name);
                backoff = 0;
                if (claimed.isPresent()) {
                    run(claimed.get());
                    continue;
                }
                wakeup.await(seen, config.pollInterval());
            } catch (InterruptedException e) {
                return;
            } catch (Throwable e) { // a dead worker thread would leave this process idle with a live heartbeat
                backoff = Math.min(MAX_BACKOFF_MS, Math.max(config.pollInterval().toMillis(), backoff * 2));
                LOG.warnf("task worker could not claim a task (retrying in %d ms): %s", backoff, e.getMessage());
                if (!sleep(backoff)) {
                    return;
                }
            }
        }
    }

    private void run(UUID id) {
        running.put(Thread.currentThread(), id);
        try {
            runner.run(id, name, () -> stopReason(id));
        } finally {
            running.remove(Thread.currentThread());
            stops.remove(id);
            cancelSeen.remove(id);
            wakeup.signal(); // the finished task may have been blocking others
        }
    }

    /** Why the task must stop now, or null to go on. */
    private String stopReason(UUID id) {
        return stopping ? "worker " + name + " shut down before the task finished" : stops.get(id);
    }

    private void housekeep() {
        try {
            runner.recordUnrecorded();
            beat();
            store.reap(config.workerTimeout()).forEach(task -> LOG.warnf("failed task %s, which died", task));
            if (config.workers() > 0) {
                endWedgedCancels();
                store.failStranded(name, activeTasks(), config.heartbeatInterval())
                        .forEach(task -> LOG.warnf("failed task %s: this worker no longer ran it", task));
            }
        } catch (RuntimeException e) {
            LOG.warnf("task housekeeping failed: %s", e.getMessage()); // must not end the schedule
            if (System.nanoTime() - lastBeat > config.workerTimeout().toNanos()) {
                stopRunningTasks("worker " + name + " lost its heartbeat (" + e.getMessage()
                        + "); other processes may have failed its tasks");
            }
        }
    }

    private void beat() {
        if (config.workers() == 0) {
            return;
        }
        if (!store.heartbeat(name)) {
            LOG.warnf("worker %s had been presumed dead; stopping its tasks and registering again", name);
            stopRunningTasks("worker " + name + " had been presumed dead by another process");
            store.register(name);
        }
        lastBeat = System.nanoTime();
    }

    /** A worker that lost its heartbeat stops its tasks itself: others may already have failed them. */
    private void stopRunningTasks(String reason) {
        running.values().forEach(id -> {
            if (stops.putIfAbsent(id, reason) == null) {
                LOG.warnf("stopping task %s: %s", id, reason);
            }
        });
    }

    /**
     * A task asked to cancel whose handler does not stop within the worker timeout is ended here, and its thread
     * interrupted; the fence keeps the handler from writing a version should it carry on regardless.
     */
    private void endWedgedCancels() {
        long now = System.nanoTime();
        Map<UUID, Thread> threadsByTask = new HashMap<>();
        running.forEach((thread, id) -> threadsByTask.put(id, thread));
        for (UUID id : store.cancelingOn(name)) {
            Thread thread = threadsByTask.get(id);
            if (thread == null) {
                continue; // not (or no longer) running here: failStranded or the worker's own record settles it
            }
            long since = cancelSeen.computeIfAbsent(id, k -> now);
            if (now - since > config.workerTimeout().toNanos()
                    && store.forceEnd(id, name, TaskState.CANCELED, "canceled; the task did not stop within "
                    + config.workerTimeout().toSeconds() + " s of the request, so its worker gave up on it")) {
                LOG.warnf("task %s did not stop after being canceled; ended it and interrupted %s", id, thread.getName());
                thread.interrupt();
            }
        }
    }

    private Set<UUID> activeTasks() {
        Set<UUID> active = new HashSet<>(running.values());
        active.addAll(runner.unrecorded());
        return active;
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String workerName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown-host";
        }
        return ProcessHandle.current().pid() + "@" + host + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Thread daemon(Runnable runnable, String threadName) {
        Thread thread = new Thread(runnable, threadName);
        thread.setDaemon(true);
        return thread;
    }
}
