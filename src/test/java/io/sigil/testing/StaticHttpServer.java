package io.sigil.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Serves a directory over HTTP on a free loopback port (a lookaside signature store, as a web server would): 200 with
 * the file, 404 when absent. Counts requests, and can run a hook before answering (to stall or break a sync).
 */
public final class StaticHttpServer implements AutoCloseable {

    private final Path root;
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Consumer<String> beforeAnswer = path -> { };
    private volatile int forcedStatus;

    public StaticHttpServer(Path root) {
        this.root = root;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::answer);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int requests() {
        return requests.get();
    }

    /** Runs before each answer with the decoded request path (on the server's thread). */
    public void beforeAnswer(Consumer<String> hook) {
        this.beforeAnswer = hook;
    }

    /** Answers every request with this status (0 to serve files again). */
    public void forceStatus(int status) {
        this.forcedStatus = status;
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String path = URLDecoder.decode(exchange.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
        beforeAnswer.accept(path);
        Path file = root.resolve(path.substring(1)).normalize();
        try (exchange; OutputStream out = exchange.getResponseBody()) {
            if (forcedStatus != 0) {
                exchange.sendResponseHeaders(forcedStatus, -1);
            } else if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                byte[] body = Files.readAllBytes(file);
                exchange.sendResponseHeaders(200, body.length);
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
