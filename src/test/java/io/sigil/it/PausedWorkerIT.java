package io.sigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sigil.common.DatabaseBootstrap;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A worker frozen (SIGSTOP) in the middle of a sync, past the worker timeout, is presumed dead and its task failed by
 * another process; thawed (SIGCONT), it must not write the version after all: no version under a failed task.
 */
class PausedWorkerIT {

    private static final Map<String, String> FAST_REAPING = Map.of(
            "SIGIL_TASKS_HEARTBEAT_INTERVAL", "1s", "SIGIL_TASKS_WORKER_TIMEOUT", "3s");

    private String jdbcUrl;
    private Path storage;
    private HttpServer upstream;
    private final CountDownLatch tagsListed = new CountDownLatch(1);
    private final CountDownLatch releaseTags = new CountDownLatch(1);

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Files.exists(SigilProcess.JAR), "needs the packaged application (runs in the integration-test phase)");
        jdbcUrl = "jdbc:postgresql://127.0.0.1:5432/sigil_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        DatabaseBootstrap.createDatabaseIfMissing(jdbcUrl, "postgres", "");
        storage = Files.createTempDirectory("sigil-it-storage");
        upstream = slowUpstream();
    }

    @AfterEach
    void tearDown() {
        releaseTags.countDown();
        if (upstream != null) {
            upstream.stop(0);
        }
        DatabaseBootstrap.dropDatabase(jdbcUrl, "postgres");
    }

    @Test
    void aWorkerThawedAfterItsTaskWasReapedWritesNoVersion() throws Exception {
        Map<String, String> worker = new java.util.HashMap<>(FAST_REAPING);
        worker.put("SIGIL_TASK_WORKERS", "1");
        Map<String, String> apiOnly = new java.util.HashMap<>(FAST_REAPING);
        apiOnly.put("SIGIL_TASK_WORKERS", "0");
        try (SigilProcess frozen = SigilProcess.start(jdbcUrl, storage, worker);
             SigilProcess other = SigilProcess.start(jdbcUrl, storage, apiOnly);
             Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            String repository = SigilProcess.field(other.post("/pulp/api/v3/repositories/container/container/", "{\"name\":\"mirror\"}").body(), "pulp_href");
            String remote = SigilProcess.field(other.post("/pulp/api/v3/remotes/container/container/", "{\"name\":\"up\",\"url\":\"http://127.0.0.1:"
                    + upstream.getAddress().getPort() + "\",\"upstream_name\":\"upstream\"}").body(), "pulp_href");
            String sync = SigilProcess.field(other.post(repository + "sync/", "{\"remote\":\"" + remote + "\"}").body(), "task");
            assertTrue(tagsListed.await(60, TimeUnit.SECONDS), "the sync never asked for the tags");

            frozen.pause();
            String reaped;
            try {
                reaped = SigilProcess.awaitState(other, sync, "failed");
            } finally {
                releaseTags.countDown();
                frozen.resume();
            }
            assertTrue(reaped.contains("died"), reaped);

            Thread.sleep(3_000); // the thawed worker goes on with the sync: reads the tags, fetches, tries to write
            assertEquals(0, SigilProcess.scalar(db, "SELECT latest_version FROM repository"), "no version under a failed task");
            assertEquals(0, SigilProcess.scalar(db, "SELECT count(*) FROM repository_version WHERE number > 0"));
            String task = other.get(sync).body();
            assertTrue(task.contains("\"state\":\"failed\"") && task.contains("died"), "the reaper's record stands: " + task);
            String log = Files.readString(frozen.log);
            assertTrue(log.contains("presumed dead") || log.contains("no longer runs on worker"), "the thawed worker stood down");

            // The same sync now writes its version: the upstream was never the problem.
            String again = SigilProcess.field(other.post(repository + "sync/", "{\"remote\":\"" + remote + "\"}").body(), "task");
            SigilProcess.awaitState(other, again, "completed");
            assertEquals(1, SigilProcess.scalar(db, "SELECT latest_version FROM repository"));
        }
    }

    /** One image tagged v1; the tag list answers only once the test lets it. */
    private HttpServer slowUpstream() throws IOException {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = "a layer".getBytes(StandardCharsets.UTF_8);
        String manifestText = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + sha(config)
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + sha(layer) + "\",\"size\":" + layer.length + "}]}";
        byte[] manifest = manifestText.getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> blobs = Map.of(sha(config), config, sha(layer), layer);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/v2/") || path.equals("/v2")) {
                send(exchange, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), null);
            } else if (path.equals("/v2/upstream/tags/list")) {
                tagsListed.countDown();
                await(releaseTags);
                send(exchange, 200, "application/json", "{\"name\":\"upstream\",\"tags\":[\"v1\"]}".getBytes(StandardCharsets.UTF_8), null);
            } else if (path.equals("/v2/upstream/manifests/v1") || path.equals("/v2/upstream/manifests/" + sha(manifest))) {
                send(exchange, 200, "application/vnd.oci.image.manifest.v1+json", manifest, sha(manifest));
            } else if (path.startsWith("/v2/upstream/blobs/") && blobs.containsKey(path.substring(19))) {
                send(exchange, 200, "application/octet-stream", blobs.get(path.substring(19)), path.substring(19));
            } else {
                send(exchange, 404, "application/json", "{\"errors\":[{\"code\":\"NOT_FOUND\",\"message\":\"none\"}]}"
                        .getBytes(StandardCharsets.UTF_8), null);
            }
        });
        server.start();
        return server;
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body, String digest) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        if (digest != null) {
            exchange.getResponseHeaders().set("Docker-Content-Digest", digest);
        }
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String sha(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
