package io.sigil.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** A packaged Sigil server running as its own operating-system process, as in production. */
final class SigilProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    final int port;
    final Path log;

    private SigilProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static SigilProcess start(String jdbcUrl, Path storage, Map<String, String> extraEnv) throws Exception {
        int port = freePort();
        Path log = Files.createTempFile("sigil-it-", ".log");
        ProcessBuilder builder = new ProcessBuilder("java", "-jar", JAR.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = new HashMap<>(Map.of("SIGIL_DB_URL", jdbcUrl, "SIGIL_STORAGE", storage.toString(),
                "SIGIL_PORT", Integer.toString(port), "SIGIL_CONTENT_ORIGIN", "http://127.0.0.1:" + port,
                // The upstreams these tests sync from run on loopback, which production refuses by default.
                "SIGIL_REMOTES_ALLOWED_NETWORKS", "127.0.0.0/8"));
        env.putAll(extraEnv);
        builder.environment().putAll(env);
        SigilProcess sigil = new SigilProcess(builder.start(), port, log);
        sigil.awaitReady();
        return sigil;
    }

    private void awaitReady() throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Sigil exited during start-up:\n" + Files.readString(log));
            }
            try {
                if (get("/pulp/api/v3/status/").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Sigil did not start in time:\n" + Files.readString(log));
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        String basic = Base64.getEncoder().encodeToString("admin:password".getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic " + basic).timeout(Duration.ofSeconds(30));
    }

    /** SIGSTOP: the process freezes mid-work, as a long GC pause or a frozen VM would; {@link #resume} thaws it. */
    void pause() throws Exception {
        signal("STOP");
    }

    void resume() throws Exception {
        signal("CONT");
    }

    private void signal(String name) throws Exception {
        if (new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " failed");
        }
    }

    /** SIGKILL: no shutdown hook runs, exactly like a crashed machine or an OOM kill. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The one number a query answers (a count, an id). */
    static long scalar(Connection db, String sql) throws Exception {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Polls a task until it reaches {@code state}; fails at once if it ends in another state, or after a minute. */
    static String awaitState(SigilProcess sigil, String taskHref, String state) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        String task = "";
        while (System.currentTimeMillis() < deadline) {
            task = sigil.get(taskHref).body();
            String current = field(task, "state");
            if (state.equals(current)) {
                return task;
            }
            if (java.util.Set.of("completed", "failed", "canceled").contains(current)) {
                throw new AssertionError("task ended " + current + ", not " + state + ": " + task);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("task never reached " + state + ": " + task);
    }

    /** A string field of a JSON answer, read without a JSON library (these tests run outside Quarkus). */
    static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in " + json);
        }
        return m.group(1);
    }
}
