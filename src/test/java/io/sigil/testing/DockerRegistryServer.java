package io.sigil.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The CNCF distribution registry ({@code docker-registry}, Debian's package) on a free loopback port with a temporary
 * config and storage directory; closing it stops the process and deletes its files.
 */
public final class DockerRegistryServer implements AutoCloseable {

    private static final Pattern ACCESS_LINE = Pattern.compile("\\] \"(\\S+ \\S+) HTTP/[0-9.]+\" \\d{3} ");

    private final Path home;
    private final int port;
    private final Process process;
    private final boolean tls;

    public DockerRegistryServer() {
        this(false);
    }

    /** With {@code accessLog}, every request is logged, for {@link #requests()}. */
    public DockerRegistryServer(boolean accessLog) {
        this(accessLog, null, null);
    }

    /** Serving HTTPS with this PEM certificate (chain) and key. */
    public static DockerRegistryServer tls(Path certificate, Path key) {
        return new DockerRegistryServer(false, certificate, key);
    }

    private DockerRegistryServer(boolean accessLog, Path certificate, Path key) {
        this.tls = certificate != null;
        try {
            home = Files.createTempDirectory("docker-registry");
            port = freePort();
            Path config = home.resolve("config.yml");
            Files.writeString(config, """
                    version: 0.1
                    log:
                      level: error
                      accesslog:
                        disabled: %s
                    storage:
                      filesystem:
                        rootdirectory: %s
                      delete:
                        enabled: true
                    http:
                      addr: 127.0.0.1:%d
                    """.formatted(!accessLog, home.resolve("storage"), port)
                    + (tls ? "  tls:\n    certificate: %s\n    key: %s\n".formatted(certificate, key) : ""));
            process = new ProcessBuilder("docker-registry", "serve", config.toString())
                    .redirectErrorStream(true).redirectOutput(home.resolve("registry.log").toFile()).start();
            awaitReady();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:<port>}, as image references name it. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public String baseUrl() {
        return (tls ? "https://" : "http://") + host();
    }

    /** The request lines served so far ({@code "HEAD /v2/name/manifests/tag"}), when started with the access log. */
    public List<String> requests() {
        try {
            return Files.readAllLines(home.resolve("registry.log")).stream().map(ACCESS_LINE::matcher).filter(Matcher::find)
                    .map(m -> m.group(1)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (tls && listening()) {
                return; // the test's own client checks the certificate; here it is enough that the port is open
            }
            try {
                HttpResponse<Void> ping = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/v2/"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (ping.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (!process.isAlive()) {
                break;
            }
            sleep();
        }
        close();
        throw new IllegalStateException("docker-registry did not start on " + host());
    }

    private boolean listening() {
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: it is a temporary directory
        }
    }
}
