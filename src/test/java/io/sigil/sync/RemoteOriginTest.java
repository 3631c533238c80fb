package io.sigil.sync;

import static io.restassured.RestAssured.given;
import static io.sigil.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.sigil.testing.PostgresDatabaseResource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Remotes through the API: credentials stay with the server they were given for, and internal addresses are refused
 * (the test profile allows loopback only, for the local upstreams). Anonymous and forged callers change nothing.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class RemoteOriginTest {

    static final String REMOTES = RemoteApiTest.REMOTES;

    @Test
    void aPasswordNeverFollowsTheUrlToAnotherServer() throws IOException {
        try (Recorder first = new Recorder(); Recorder other = new Recorder()) {
            Map<String, Object> fields = new HashMap<>(Map.of("url", first.url(), "upstream_name", "team/app",
                    "username", "alice", "password", "s3cret"));
            String remote = SyncTesting.remote(fields);
            String repository = SyncTesting.repository();
            SyncTesting.sync(repository, remote, false);
            assertTrue(first.authorizations.contains(basic("alice", "s3cret")), first.authorizations::toString);

            // another field changes: the password stays
            patch(remote, Map.of("signed_only", false)).then().statusCode(200)
                    .body("hidden_fields.find { it.name == 'password' }.is_set", equalTo(true));

            // the url moves to another server (same host, another port): the password is cleared, the username stays
            patch(remote, Map.of("url", other.url())).then().statusCode(200)
                    .body("hidden_fields.find { it.name == 'password' }.is_set", equalTo(false))
                    .body("hidden_fields.find { it.name == 'username' }.is_set", equalTo(true));
            String error = SyncTesting.sync(repository, remote, false).getString("error.description");
            assertTrue(error.contains("has none"), error);
            assertFalse(other.requests.isEmpty(), "the other server was asked");
            assertEquals(List.of(), other.authorizations, "the other server never saw credentials");

            // a password given in the same request is the one for the new server
            patch(remote, Map.of("url", first.url(), "password", "for-first")).then().statusCode(200)
                    .body("hidden_fields.find { it.name == 'password' }.is_set", equalTo(true));
            SyncTesting.sync(repository, remote, false);
            assertTrue(first.authorizations.contains(basic("alice", "for-first")), first.authorizations::toString);
            // a scheme change alone (http to https, same host and port) clears it as well
            patch(remote, Map.of("url", first.url().replace("http:", "https:"))).then().statusCode(200)
                    .body("hidden_fields.find { it.name == 'password' }.is_set", equalTo(false));
        }
    }

    @Test
    void internalAddressesAreRefusedNamingTheAddress() {
        refused("url", "http://10.0.0.1/", "10.0.0.1 is a private address");
        refused("url", "http://169.254.169.254/", "169.254.169.254 is the cloud metadata address");
        refused("url", "https://192.168.1.1:5000", "192.168.1.1 is a private address");
        refused("url", "http://[::ffff:10.0.0.1]/", "a private address");
        refused("url", "http://2130706433/", "2130706433 is an IP address in a notation");
        refused("url", "http://0177.0.0.1/", "0177.0.0.1 is an IP address in a notation");
        refused("proxy_url", "http://[fd00:ec2::254]:3128", "fd00:ec2::254 is the cloud metadata address");
        refused("sigstore", "http://172.16.5.4/sigstore", "172.16.5.4 is a private address");
    }

    @Test
    void aRemoteCannotBeMovedToAnInternalAddress() {
        String remote = SyncTesting.remote(Map.of("url", "http://127.0.0.1:9", "upstream_name", "team/app"));
        patch(remote, Map.of("url", "http://169.254.169.254/")).then().statusCode(400)
                .body("url[0]", containsString("169.254.169.254 is the cloud metadata address"));
        asAdmin().get(remote).then().statusCode(200).body("url", equalTo("http://127.0.0.1:9"));
    }

    @Test
    void anonymousAndForgedCallersChangeNothing() throws IOException {
        try (Recorder upstream = new Recorder()) {
            String remote = SyncTesting.remote(Map.of("url", upstream.url(), "upstream_name", "team/app",
                    "username", "alice", "password", "s3cret"));
            String repository = SyncTesting.repository();
            Map<String, Object> moved = Map.of("url", "http://127.0.0.1:9");
            for (RequestSpecification caller : List.of(given(), given().auth().preemptive().basic("admin", "wrong"),
                    given().header("Authorization", "Bearer " + forgedToken()))) {
                caller.contentType(ContentType.JSON).body(moved).patch(remote).then().statusCode(401);
            }
            given().contentType(ContentType.JSON).body(Map.of("remote", remote)).post(repository + "sync/").then().statusCode(401);
            given().contentType(ContentType.JSON).body(Map.of("name", "anon-" + UUID.randomUUID(), "url", "http://10.0.0.1/",
                    "upstream_name", "a")).post(REMOTES).then().statusCode(401);
            asAdmin().get(remote).then().statusCode(200).body("url", equalTo(upstream.url()))
                    .body("hidden_fields.find { it.name == 'password' }.is_set", equalTo(true));
            assertTrue(upstream.requests.isEmpty(), "no sync ran");
        }
    }

    private static void refused(String field, String url, String message) {
        String name = "refused-" + UUID.randomUUID();
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "url", "https://registry.invalid",
                "upstream_name", "team/app"));
        body.put(field, url);
        asAdmin().contentType(ContentType.JSON).body(body).post(REMOTES).then().statusCode(400)
                .body(field + "[0]", containsString(message));
        asAdmin().queryParam("name", name).get(REMOTES).then().statusCode(200).body("count", equalTo(0));
    }

    private static io.restassured.response.Response patch(String remote, Map<String, Object> body) {
        return asAdmin().contentType(ContentType.JSON).body(body).patch(remote);
    }

    private static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A well-formed RS256 JWT signed by nobody Sigil knows. */
    static String forgedToken() {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return url.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString("{\"sub\":\"admin\",\"iss\":\"sigil\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(new byte[256]);
    }

    /** An upstream that asks for Basic credentials on every call and records the Authorization headers it gets. */
    static final class Recorder implements AutoCloseable {
        final List<String> requests = new CopyOnWriteArrayList<>();
        final List<String> authorizations = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        Recorder() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            server.createContext("/", ex -> {
                requests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
                String authorization = ex.getRequestHeaders().getFirst("Authorization");
                if (authorization != null) {
                    authorizations.add(authorization);
                }
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"upstream\"");
                RegistryClientTest.reply(ex, 401, "");
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
