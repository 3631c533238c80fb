package io.sigil.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which addresses remotes may reach, and that the upstream client refuses the others before connecting, including
 * after a redirect. Only 127.0.0.1 is allowed here, so 127.0.0.2 (also loopback, and listening) proves a refusal
 * happens before any connection.
 */
class OutboundAddressesTest {

    static final OutboundAddresses ONLY_127_0_0_1 = new OutboundAddresses(Optional.of(List.of("127.0.0.1/32")));
    static final OutboundAddresses NOTHING_ALLOWED = new OutboundAddresses(Optional.empty());

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://192.168.1.1:8080/",
            "http://172.16.0.1/", "http://127.0.0.1:5432/", "http://localhost/", "http://[::1]/", "http://0.0.0.0/",
            "http://[fd00:ec2::254]/", "http://[fe80::1]/", "http://[fc00::5]/", "http://100.64.0.1/",
            "http://[::ffff:127.0.0.1]/", "http://[::ffff:10.0.0.1]/", "http://[::127.0.0.1]/", "http://[64:ff9b::a9fe:a9fe]/",
            "http://[2002:a00:1::]/", "http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1/", "http://127.1/",
            "http://017700000001/", "http://10.1/"})
    void internalAddressesAreRefusedWithoutAnAllowance(String url) {
        Optional<String> refusal = NOTHING_ALLOWED.refusal(URI.create(url));
        assertTrue(refusal.isPresent(), url + " was allowed");
        String host = url.replaceAll("http://\\[?([^\\]/]*?)\\]?(:\\d+)?/.*", "$1");
        assertTrue(refusal.get().contains(host), refusal.get());
    }

    @Test
    void refusalsNameTheAddressAndWhatItIs() {
        assertEquals("169.254.169.254 is the cloud metadata address, which remotes may not reach; an administrator can "
                + "allow it in sigil.remotes.allowed-networks",
                NOTHING_ALLOWED.refusal(URI.create("http://169.254.169.254/")).orElseThrow());
        assertTrue(NOTHING_ALLOWED.refusal(URI.create("http://localhost/")).orElseThrow()
                .matches("localhost \\((127\\.0\\.0\\.1|::1)\\) is a loopback address, .*"));
        assertTrue(NOTHING_ALLOWED.refusal(URI.create("http://[::ffff:10.0.0.1]/")).orElseThrow()
                .contains("a private address"));
        assertTrue(NOTHING_ALLOWED.refusal(URI.create("http://2130706433/")).orElseThrow()
                .contains("notation programs read differently"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://8.8.8.8/", "https://[2001:4860:4860::8888]/", "https://registry.invalid/",
            "https://1.2.3.4:5000/", "https://[::8.8.8.8]/"})
    void publicAndUnresolvableAddressesPass(String url) {
        assertEquals(Optional.empty(), NOTHING_ALLOWED.refusal(URI.create(url)));
    }

    @Test
    void allowedNetworksOpenExactlyWhatTheyList() {
        OutboundAddresses allowance = new OutboundAddresses(Optional.of(List.of("10.1.0.0/16", " fd12::/16 ")));
        assertEquals(Optional.empty(), allowance.refusal(URI.create("http://10.1.2.3/")));
        assertEquals(Optional.empty(), allowance.refusal(URI.create("http://[fd12::1]/")));
        assertTrue(allowance.refusal(URI.create("http://10.2.0.1/")).isPresent());
        assertTrue(allowance.refusal(URI.create("http://169.254.169.254/")).isPresent());
        // an allowed network never opens an ambiguous spelling of itself
        assertTrue(allowance.refusal(URI.create("http://10.1.515/")).isPresent());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new OutboundAddresses(Optional.of(List.of("10.0.0.0/33"))));
        assertTrue(bad.getMessage().contains("10.0.0.0/33"), bad.getMessage());
    }

    @Test
    void theResolverKeepsOnlyAllowedAddresses() throws IOException {
        assertEquals(List.of(InetAddress.getByName("127.0.0.1")),
                List.of(ONLY_127_0_0_1.dnsResolver().resolve("127.0.0.1")));
        OutboundAddresses.RefusedAddressException refused = assertThrows(OutboundAddresses.RefusedAddressException.class,
                () -> ONLY_127_0_0_1.dnsResolver().resolve("127.0.0.2"));
        assertTrue(refused.getMessage().contains("127.0.0.2 is a loopback address"), refused.getMessage());
        assertThrows(OutboundAddresses.RefusedAddressException.class, () -> NOTHING_ALLOWED.dnsResolver().resolve("localhost"));
    }

    /** A request to a refused address, in any spelling, fails at once (no retries) and nothing connects to it. */
    @Test
    void theClientNeverConnectsToARefusedAddress() throws IOException {
        try (Listener forbidden = new Listener("127.0.0.2"); UpstreamHttp http = new UpstreamHttp(settings("http://127.0.0.1"), ONLY_127_0_0_1)) {
            for (String url : List.of("http://127.0.0.2:" + forbidden.port() + "/v2/",
                    "http://[::ffff:127.0.0.2]:" + forbidden.port() + "/v2/", "http://2130706434:" + forbidden.port() + "/v2/",
                    "http://0177.0.0.2:" + forbidden.port() + "/v2/")) {
                long start = System.nanoTime();
                assertThrows(OutboundAddresses.RefusedAddressException.class, () -> http.send("GET", URI.create(url), Map.of()), url);
                assertTrue(System.nanoTime() - start < 1_000_000_000L, url + " was retried");
            }
            assertEquals(0, forbidden.connections.get());
        }
    }

    /** An allowed upstream redirecting to a refused address: the hop is refused and never connected to. */
    @Test
    void aRedirectToARefusedAddressIsNotFollowed() throws IOException {
        HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        try (Listener forbidden = new Listener("127.0.0.2")) {
            AtomicInteger upstreamRequests = new AtomicInteger();
            upstream.createContext("/", ex -> {
                upstreamRequests.incrementAndGet();
                ex.getResponseHeaders().add("Location", "http://127.0.0.2:" + forbidden.port() + "/metadata");
                RegistryClientTest.reply(ex, 302, "");
            });
            upstream.start();
            String base = "http://127.0.0.1:" + upstream.getAddress().getPort();
            try (UpstreamHttp http = new UpstreamHttp(settings(base), ONLY_127_0_0_1)) {
                OutboundAddresses.RefusedAddressException refused = assertThrows(OutboundAddresses.RefusedAddressException.class,
                        () -> http.send("GET", URI.create(base + "/v2/app/blobs/sha256:00"), Map.of()));
                assertTrue(refused.getMessage().startsWith("127.0.0.2 is a loopback address"), refused.getMessage());
            }
            assertEquals(1, upstreamRequests.get());
            assertEquals(0, forbidden.connections.get());
        } finally {
            upstream.stop(0);
        }
    }

    @Test
    void ambiguousNumericHostsAreRecognised() {
        for (String host : List.of("2130706433", "0177.0.0.1", "0x7f.0.0.1", "127.1", "1.2.3.04", "0x7f000001", "10.0.1.")) {
            assertTrue(OutboundAddresses.isAmbiguousNumeric(host), host);
        }
        for (String host : List.of("127.0.0.1", "8.8.8.8", "registry-1.docker.io", "1e100.net", "::1", "10.0.0.1.")) {
            assertFalse(OutboundAddresses.isAmbiguousNumeric(host), host);
        }
    }

    static RemoteSettings settings(String url) {
        return new RemoteSettings(null, "guarded", url, "app", null, null, null, null, true, null, null, null, null, 1,
                null, java.util.EnumSet.allOf(SourceKind.class), false, VerifyKeys.parse(List.of()), true, null);
    }

    /** A TCP listener that only counts who connects. */
    static final class Listener implements AutoCloseable {
        final AtomicInteger connections = new AtomicInteger();
        private final ServerSocket socket;

        Listener(String address) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getByName(address));
            Thread accepting = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket ignored = socket.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            accepting.setDaemon(true);
            accepting.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
