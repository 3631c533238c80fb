package io.sigil.tasks;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        running.values().forEach(id -> store.abandon(id, name, "worker " + name + " shut down before the task finished"));
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

    private void work() {
        while (!stopping) {
            long seen = wakeup.generation();
            Optional<UUID> claimed = claim();
            if (claimed.isPresent()) {
                run(claimed.get());
                continue;
            }
            try {
                wakeup.await(seen, config.pollInterval());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Optional<UUID> claim() {
        try {
            return store.claim(name);
        } catch (RuntimeException e) {
            LOG.warnf("could not claim a task: %s", e.getMessage());
            return Optional.empty();
        }
    }

    private void run(UUID id) {
        running.put(Thread.currentThread(), id);
        try {
            runner.run(id, name, () -> stopping);
        } finally {
            running.remove(Thread.currentThread());
            wakeup.signal(); // the finished task may have been blocking others
        }
    }

    private void housekeep() {
        try {
            if (config.workers() > 0 && !store.heartbeat(name)) {
                LOG.warnf("worker %s had been presumed dead; registering again", name);
                store.register(name);
            }
            store.reap(config.workerTimeout()).forEach(task -> LOG.warnf("failed task %s, which died", task));
        } catch (RuntimeException e) {
            LOG.warnf("task housekeeping failed: %s", e.getMessage()); // must not end the schedule
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
