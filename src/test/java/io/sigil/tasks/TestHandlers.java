package io.sigil.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

/** Task handlers that exist only in tests, and the switches the tests steer them with (keyed by a per-test key). */
final class TestHandlers {

    /** Longest any test handler waits, so a broken test fails instead of hanging. */
    static final long MAX_WAIT_SECONDS = 10;

    private static final Map<String, CountDownLatch> RELEASES = new ConcurrentHashMap<>();
    private static final Map<String, CyclicBarrier> MEETINGS = new ConcurrentHashMap<>();
    static final Set<String> STARTED = ConcurrentHashMap.newKeySet();

    private TestHandlers() {
    }

    static void release(String key) {
        latch(key).countDown();
    }

    static void releaseAll() {
        RELEASES.values().forEach(CountDownLatch::countDown);
    }

    private static CountDownLatch latch(String key) {
        return RELEASES.computeIfAbsent(key, k -> new CountDownLatch(1));
    }

    /** Reports progress, records the created href given, and echoes its parameters. */
    @ApplicationScoped
    static class Echo implements TaskHandler {
        public String name() {
            return "test.echo";
        }

        public Object run(TaskContext context) {
            for (long done = 1; done <= 3; done++) {
                context.progress("test.items", "Counting items", done, 3L);
            }
            context.createdResource(context.parameters().path("href").asText());
            return Map.of("echo", context.parameters(), "user", String.valueOf(context.user()));
        }
    }

    @ApplicationScoped
    static class Fail implements TaskHandler {
        public String name() {
            return "test.fail";
        }

        public Object run(TaskContext context) {
            throw new IllegalStateException(context.parameters().path("message").asText());
        }
    }

    /** Reports that it holds, then runs until the test releases its key (or cancels it), checking for a cancel meanwhile. */
    @ApplicationScoped
    static class Hold implements TaskHandler {
        public String name() {
            return "test.hold";
        }

        public Object run(TaskContext context) throws InterruptedException {
            String key = context.parameters().path("key").asText();
            STARTED.add(key);
            context.progress("test.hold", "Holding", 0, null);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAX_WAIT_SECONDS);
            while (!latch(key).await(20, TimeUnit.MILLISECONDS)) {
                context.checkCanceled();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("test never released " + key);
                }
            }
            return key;
        }
    }

    /** Completes only if all {@code parties} tasks of its group run at the same time. */
    @ApplicationScoped
    static class Meet implements TaskHandler {
        public String name() {
            return "test.meet";
        }

        public Object run(TaskContext context) throws Exception {
            JsonNode params = context.parameters();
            CyclicBarrier barrier = MEETINGS.computeIfAbsent(params.path("group").asText(),
                    k -> new CyclicBarrier(params.path("parties").asInt()));
            barrier.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
            return "met";
        }
    }

    /** Holds like {@link Hold} but never checks for a cancel: a wedged handler. */
    @ApplicationScoped
    static class Stubborn implements TaskHandler {
        public String name() {
            return "test.stubborn";
        }

        public Object run(TaskContext context) throws InterruptedException {
            String key = context.parameters().path("key").asText();
            STARTED.add(key);
            latch(key).await(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
            return key;
        }
    }

    /** Outcomes of {@link FencedWrite} by key: "wrote" or the refusal's message. */
    static final Map<String, String> FENCE_OUTCOMES = new ConcurrentHashMap<>();

    /** Waits until released, then passes the fence in a transaction of its own, as a version write would. */
    @ApplicationScoped
    static class FencedWrite implements TaskHandler {
        public String name() {
            return "test.fenced-write";
        }

        public Object run(TaskContext context) throws InterruptedException {
            String key = context.parameters().path("key").asText();
            STARTED.add(key);
            latch(key).await(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
            try {
                io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(context::fence);
                FENCE_OUTCOMES.put(key, "wrote");
            } catch (TaskFencedException e) {
                FENCE_OUTCOMES.put(key, e.getMessage());
                throw e;
            }
            return key;
        }
    }

    /** Does nothing; for tests that need a task to run after another (test.noop is the listing test's alone). */
    @ApplicationScoped
    static class Quick implements TaskHandler {
        public String name() {
            return "test.quick";
        }

        public Object run(TaskContext context) {
            return "done";
        }
    }

    /** Does nothing; only the task listing test dispatches it, so it can count exactly. */
    @ApplicationScoped
    static class Noop implements TaskHandler {
        public String name() {
            return "test.noop";
        }

        public Object run(TaskContext context) {
            return null;
        }
    }
}
