package io.sigil.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry client against a scripted upstream: the token flow, Link paging, retries, the lookaside walk. */
class RegistryClientTest {

    /** The test upstreams listen on loopback, which remotes may only reach when allowed (as the test profile does). */
    static final OutboundAddresses LOOPBACK = new OutboundAddresses(java.util.Optional.of(List.of("127.0.0.0/8", "::1/128")));

    HttpServer server;
    String base;
    final AtomicInteger tagCalls = new AtomicInteger();
    final AtomicInteger flaky = new AtomicInteger();
    volatile String tokenAuthorization;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/token", ex -> {
            tokenAuthorization = ex.getRequestHeaders().getFirst("Authorization");
            boolean scoped = ex.getRequestURI().getRawQuery().contains("scope=repository%3Aapp%3Apull");
            reply(ex, scoped ? 200 : 400, "{\"token\":\"t0k3n\"}");
        });
        server.createContext("/v2/app/tags/list", ex -> {
            if (!"Bearer t0k3n".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + base + "/token\",service=\"test\","
                        + "scope=\"repository:app:pull\"");
                reply(ex, 401, "");
                return;
            }
            tagCalls.incrementAndGet();
            boolean first = !ex.getRequestURI().getQuery().contains("page=2");
            if (first) {
                ex.getResponseHeaders().add("Link", "</v2/app/tags/list?last=b&n=1000&page=2>; rel=\"next\"");
            }
            reply(ex, 200, first ? "{\"tags\":[\"a\",\"b\"]}" : "{\"tags\":[\"c\"]}");
        });
        server.createContext("/v2/", ex -> {
            ex.getResponseHeaders().add("X-Registry-Supports-Signatures", "1");
            reply(ex, 401, "");
        });
        server.createContext("/sigstore/", ex -> {
            String path = ex.getRequestURI().getPath();
            if (path.endsWith("signature-1")) {
                reply(ex, 200, "sig");
            } else if (path.endsWith("signature-2") && flaky.incrementAndGet() < 3) {
                reply(ex, 503, "");
            } else if (path.endsWith("signature-2")) {
                reply(ex, 200, "sig2");
            } else {
                reply(ex, 403, "");
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (ex) {
            if (bytes.length > 0) {
                ex.getResponseBody().write(bytes);
            }
        }
    }

    RemoteSettings remote() {
        return new RemoteSettings(null, "test", base, "app", null, null, "alice", "pw", true, null, null, null, null, 2,
                base + "/sigstore", EnumSet.allOf(SourceKind.class), false, VerifyKeys.parse(List.of()), true, null);
    }

    @Test
    void followsTheBearerChallengeWithBasicCredentialsAndLinkPages() throws IOException {
        RegistryClient client = new RegistryClient(new UpstreamHttp(remote(), LOOPBACK), remote());
        assertEquals(List.of("a", "b", "c"), client.tags());
        assertEquals(2, tagCalls.get());
        assertEquals("Basic " + Base64.getEncoder().encodeToString("alice:pw".getBytes(StandardCharsets.UTF_8)), tokenAuthorization);
    }

    @Test
    void readsTheExtensionHeaderEvenFromA401Ping() throws IOException {
        RegistryClient.Ping ping = new RegistryClient(new UpstreamHttp(remote(), LOOPBACK), remote()).ping();
        assertEquals(401, ping.status());
        assertTrue(ping.signatureExtension());
    }

    @Test
    void lookasideRetriesTransientErrorsAndReportsOtherStatuses() {
        Findings findings = new LookasideSource(new UpstreamHttp(remote(), LOOPBACK), remote()).find(
                io.sigil.storage.Digest.sha256Of("{}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(2, findings.signatures.size());
        assertEquals(3, flaky.get());
        assertEquals(1, findings.problems.size());
        assertTrue(findings.problems.get(0).contains("answered 403"), findings.problems::toString);
    }

    /** A registry sending blobs to a storage host (another origin) must not hand it the registry's credentials. */
    @Test
    void followsRedirectsAndSendsCredentialsOnlyToTheirOrigin() throws IOException {
        byte[] blob = "layer bytes".getBytes(StandardCharsets.UTF_8);
        io.sigil.storage.Digest digest = io.sigil.storage.Digest.sha256Of(blob);
        HttpServer storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> storageAuthorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> registryAuthorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
        storage.createContext("/signed/", ex -> {
            storageAuthorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            ex.sendResponseHeaders(200, blob.length);
            try (ex) {
                ex.getResponseBody().write(blob);
            }
        });
        storage.start();
        String storageBase = "http://127.0.0.1:" + storage.getAddress().getPort();
        server.createContext("/v2/app/blobs/", ex -> {
            registryAuthorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            if (!"Bearer t0k3n".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + base + "/token\",service=\"test\"");
                reply(ex, 401, "");
                return;
            }
            // first to a path on the same origin (credentials kept), from there to the storage host
            boolean hop = ex.getRequestURI().getQuery() != null;
            ex.getResponseHeaders().add("Location", hop ? storageBase + "/signed/blob?sig=x" : ex.getRequestURI().getPath() + "?hop=1");
            reply(ex, hop ? 307 : 302, "");
        });
        try {
            byte[] fetched = new RegistryClient(new UpstreamHttp(remote(), LOOPBACK), remote()).smallBlob(digest, 1024);
            assertEquals(new String(blob, StandardCharsets.UTF_8), new String(fetched, StandardCharsets.UTF_8));
            assertEquals(List.of("null", "Bearer t0k3n", "Bearer t0k3n"), registryAuthorizations);
            assertEquals(List.of("null"), storageAuthorizations);
        } finally {
            storage.stop(0);
        }
    }

    /** With {@code proxy_url}, every request goes through the proxy (absolute-form targets, as HTTP proxies get them). */
    @Test
    void sendsEveryRequestThroughTheProxy() throws IOException {
        List<String> proxied = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.net.http.HttpClient forward = java.net.http.HttpClient.newHttpClient();
        HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        proxy.createContext("/", ex -> {
            proxied.add(ex.getRequestMethod() + " " + ex.getRequestURI());
            var request = java.net.http.HttpRequest.newBuilder(ex.getRequestURI())
                    .method(ex.getRequestMethod(), java.net.http.HttpRequest.BodyPublishers.noBody());
            for (String name : List.of("Authorization", "Accept")) {
                String value = ex.getRequestHeaders().getFirst(name);
                if (value != null) {
                    request.header(name, value);
                }
            }
            try {
                var answer = forward.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                for (String name : List.of("WWW-Authenticate", "Link", "Content-Type")) {
                    answer.headers().firstValue(name).ifPresent(v -> ex.getResponseHeaders().add(name, v));
                }
                reply(ex, answer.statusCode(), answer.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply(ex, 502, "");
            }
        });
        proxy.start();
        try {
            RemoteSettings direct = remote();
            RemoteSettings viaProxy = new RemoteSettings(null, "test", base, "app", null, null, "alice", "pw", true, null,
                    "http://127.0.0.1:" + proxy.getAddress().getPort(), null, null, 2, direct.sigstore(),
                    direct.wantedSources(), false, direct.verifyKeys(), true, null);
            assertEquals(List.of("a", "b", "c"), new RegistryClient(new UpstreamHttp(viaProxy, LOOPBACK), viaProxy).tags());
            assertTrue(proxied.contains("GET " + base + "/v2/app/tags/list?n=1000"), proxied::toString);
            assertTrue(proxied.stream().anyMatch(r -> r.startsWith("GET " + base + "/token?")), proxied::toString);
            assertEquals(4, proxied.size(), proxied::toString); // challenged page, token, page 1, page 2
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void globsFollowFnmatch() {
        TagFilter filter = new TagFilter(List.of("v[0-9]*", "latest"), List.of("*-rc?"));
        assertTrue(filter.accepts("v1.2") && filter.accepts("latest"));
        assertTrue(!filter.accepts("v1-rc1") && !filter.accepts("dev") && !filter.accepts("vx"));
        assertTrue(new TagFilter(List.of("a", "b"), null).exactOnly());
        assertTrue(!new TagFilter(List.of("a*"), null).exactOnly());
        assertThrows(IllegalArgumentException.class, () -> VerifyKeys.parse(List.of("-----BEGIN PUBLIC KEY-----\nxx\n-----END PUBLIC KEY-----")));
    }
}
