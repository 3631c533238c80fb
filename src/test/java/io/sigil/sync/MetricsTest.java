package io.sigil.sync;

import static io.restassured.RestAssured.given;
import static io.sigil.sync.SyncTesting.completedSync;
import static io.sigil.sync.SyncTesting.remote;
import static io.sigil.sync.SyncTesting.repository;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.sigil.testing.OciLayout;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.SigningSkopeo;
import io.sigil.testing.DockerRegistryServer;
import io.sigil.testing.StaticHttpServer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Sigil's meters at /q/metrics move with what happens: a signed push, a sync from it, pulls of what it stored. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class MetricsTest {

    /** The sum of a Prometheus series' samples whose labels include all of {@code labels} ({@code k="v"} each). */
    static double sample(String scrape, String name, String... labels) {
        return scrape.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static RequestSpecification puller(String name) {
        String token = given().auth().preemptive().basic("admin", "password").queryParam("scope", "repository:" + name + ":pull")
                .get("/token").then().statusCode(200).extract().path("token");
        return given().header("Authorization", "Bearer " + token);
    }

    @Test
    void tasksSyncsVerdictsAndServedBytesAreCounted() throws Exception {
        String before = scrape();
        try (DockerRegistryServer upstream = new DockerRegistryServer(); SigningSkopeo skopeo = new SigningSkopeo();
             StaticHttpServer lookaside = new StaticHttpServer(skopeo.lookaside())) {
            OciLayout layout = new OciLayout(Files.createTempDirectory("sigil-metrics"), System.nanoTime()); // content no other test stored
            OciLayout.Blob image = layout.taggedImage("v1", 1);
            skopeo.copy("oci:" + layout.dir() + ":v1", "docker://" + upstream.host() + "/metrics:v1", true);
            completedSync(repository(), remote(Map.of("url", upstream.baseUrl(), "upstream_name", "metrics",
                    "sigstore", lookaside.baseUrl(), "verify_with", List.of(skopeo.armoredPublicKey()))), false);

            String name = "metrics/pushed-" + UUID.randomUUID().toString().substring(0, 8);
            skopeo.copy("oci:" + layout.dir() + ":v1", "docker://127.0.0.1:" + RestAssured.port + "/" + name + ":v1", false,
                    "--dest-creds", "admin:password");
            byte[] manifest = puller(name).get("/v2/" + name + "/manifests/v1").then().statusCode(200).extract().asByteArray();
            assertEquals(image.size(), manifest.length);
            String layer = JsonMapper.builder().build().readTree(manifest).get("layers").get(0).get("digest").asText();
            byte[] blob = puller(name).get("/v2/" + name + "/blobs/" + layer).then().statusCode(200).extract().asByteArray();

            String after = scrape();
            String sync = "name=\"container.sync\"";
            assertEquals(1, moved(before, after, "sigil_tasks_started_total", sync));
            assertEquals(1, moved(before, after, "sigil_tasks_finished_total", sync, "state=\"completed\""));
            assertEquals(1, moved(before, after, "sigil_tasks_duration_seconds_count", sync, "state=\"completed\""));
            assertTrue(after.contains("sigil_tasks_waiting "), "the queue depth gauge is there");
            assertEquals(1, moved(before, after, "sigil_sync_fetched_total", "kind=\"manifest\""));
            assertEquals(2, moved(before, after, "sigil_sync_fetched_total", "kind=\"blob\""), "layer and config");
            assertTrue(moved(before, after, "sigil_sync_fetched_bytes_total") > blob.length);
            assertEquals(1, moved(before, after, "sigil_sync_fetched_total", "kind=\"signature\""));
            assertTrue(moved(before, after, "sigil_signatures_verified_total", "type=\"atomic\"") >= 1);
            assertEquals(manifest.length, moved(before, after, "sigil_registry_served_bytes_total", "kind=\"manifest\""));
            assertEquals(blob.length, moved(before, after, "sigil_registry_served_bytes_total", "kind=\"blob\""));
            assertTrue(after.contains("http_server_requests_seconds_count"), "Quarkus' HTTP meters are there too");
        }
    }

    private static double moved(String before, String after, String name, String... labels) {
        return sample(after, name, labels) - sample(before, name, labels);
    }
}
