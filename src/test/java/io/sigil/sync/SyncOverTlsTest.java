package io.sigil.sync;

import static io.sigil.sync.SyncTesting.completedSync;
import static io.sigil.sync.SyncTesting.latestVersion;
import static io.sigil.sync.SyncTesting.remote;
import static io.sigil.sync.SyncTesting.repository;
import static io.sigil.sync.SyncTesting.sync;
import static io.sigil.sync.SyncTesting.tags;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sigil.testing.DockerRegistryServer;
import io.sigil.testing.OciLayout;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Skopeo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A remote's {@code ca_cert} against an HTTPS docker-registry whose certificate a private CA (made with openssl)
 * issued: trusted with the CA, refused without it, and trusted anyway with {@code tls_validation: false}.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class SyncOverTlsTest {

    static Path dir;
    static DockerRegistryServer registry;

    @BeforeAll
    static void upstream() throws Exception {
        dir = Files.createTempDirectory("sync-tls");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=Sigil Test CA");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        Files.writeString(dir.resolve("san.cnf"), "subjectAltName=IP:127.0.0.1\n");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.pem", "-days", "2", "-extfile", "san.cnf");
        registry = DockerRegistryServer.tls(dir.resolve("server.pem"), dir.resolve("server.key"));
        OciLayout layout = new OciLayout(Files.createTempDirectory("sync-tls-layout"), 11);
        layout.taggedImage("tls-v1", 1);
        new Skopeo().copy("oci:" + layout.dir() + ":tls-v1", "docker://" + registry.host() + "/secure:v1").requireSuccess();
    }

    @AfterAll
    static void stop() {
        registry.close();
        SyncFromDockerRegistryTest.deleteTree(dir);
    }

    @Test
    void theRemotesCaIsTrustedAndNoOtherIs() throws IOException {
        String ca = Files.readString(dir.resolve("ca.pem"));
        String trusting = repository();
        completedSync(trusting, remote(Map.of("url", registry.baseUrl(), "upstream_name", "secure", "ca_cert", ca)), false);
        assertThat(tags(latestVersion(trusting)), containsInAnyOrder("v1"));

        String refusing = repository();
        JsonPath refused = sync(refusing, remote(Map.of("url", registry.baseUrl(), "upstream_name", "secure")), false);
        assertEquals("failed", refused.getString("state"), refused::prettify);
        assertThat(refused.getString("error.description"), containsString("SSLHandshakeException"));
        assertEquals(refusing + "versions/0/", latestVersion(refusing));

        String unchecked = repository();
        completedSync(unchecked, remote(Map.of("url", registry.baseUrl(), "upstream_name", "secure",
                "tls_validation", false)), false);
        assertThat(tags(latestVersion(unchecked)), containsInAnyOrder("v1"));
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + Files.readString(dir.resolve("openssl.log")));
        }
    }
}
