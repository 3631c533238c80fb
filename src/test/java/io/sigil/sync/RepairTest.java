package io.sigil.sync;

import static io.restassured.RestAssured.given;
import static io.sigil.testing.Api.asAdmin;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sigil.storage.BlobStore;
import io.sigil.storage.Digest;
import io.sigil.testing.DockerRegistryServer;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.RegistryUploader;
import io.sigil.testing.Tasks;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code versions/<n>/repair/}: a corrupted blob is found by its hash and deleted, a lost one found missing, and both
 * fetched again from the repository's own remote (here a real docker-registry, synced with a body that names no remote).
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class RepairTest {

    static DockerRegistryServer registry;

    @Inject
    BlobStore store;

    @BeforeAll
    static void startRegistry() {
        registry = new DockerRegistryServer();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    /** Pushes a config and two layers and their OCI manifest upstream; returns the layers' bytes by digest. */
    private static Map<String, byte[]> pushImage(String name) {
        RegistryUploader uploader = new RegistryUploader(registry.baseUrl());
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":\"" + UUID.randomUUID() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] one = random(3000);
        byte[] two = random(4000);
        String configDigest = uploader.blob(name, config);
        String oneDigest = uploader.blob(name, one);
        String twoDigest = uploader.blob(name, two);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + Upstreams.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length
                + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + oneDigest
                + "\",\"size\":" + one.length + "},{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
                + twoDigest + "\",\"size\":" + two.length + "}]}";
        uploader.manifest(name, "v1", Upstreams.OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
        return Map.of(oneDigest, one, twoDigest, two);
    }

    private static JsonPath repair(String version) {
        return Tasks.completed(asAdmin().contentType(ContentType.JSON).body(Map.of()).post(version + "repair/"));
    }

    @Test
    void repairFindsCorruptedAndLostBlobsAndFetchesThemAgainFromTheRemote() throws Exception {
        String name = "repair/" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, byte[]> layers = pushImage(name);
        String remote = SyncTesting.remote(Map.of("url", registry.baseUrl(), "upstream_name", name));
        String repo = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "repair-" + UUID.randomUUID(), "remote", remote))
                .post("/pulp/api/v3/repositories/container/container/").then().statusCode(201).extract().path("pulp_href");
        Tasks.completed(asAdmin().contentType(ContentType.JSON).body(Map.of()).post(repo + "sync/"));
        String version = SyncTesting.latestVersion(repo);
        assertEquals(repo + "versions/1/", version);

        JsonPath clean = repair(version);
        assertEquals(3, clean.getInt("result.blobs_checked"));
        assertEquals(List.of(), clean.getList("result.corrupted"));
        assertEquals(List.of(), clean.getList("result.missing"));

        List<String> digests = layers.keySet().stream().sorted().toList();
        Digest corrupted = Digest.parse(digests.get(0));
        Digest lost = Digest.parse(digests.get(1));
        Path file = store.file(corrupted).orElseThrow();
        file.toFile().setWritable(true);
        byte[] wrong = layers.get(corrupted.toString()).clone();
        wrong[7] ^= 1;
        Files.write(file, wrong);
        store.delete(lost);

        JsonPath repaired = repair(version);
        assertEquals(List.of(corrupted.toString()), repaired.getList("result.corrupted"));
        assertEquals(List.of(lost.toString()), repaired.getList("result.missing"));
        assertEquals(digests, repaired.getList("result.repaired")); // sorted
        assertEquals(Map.of(), repaired.getMap("result.unrepaired"));
        for (Digest digest : List.of(corrupted, lost)) {
            try (InputStream in = store.open(digest, 0)) {
                assertArrayEquals(layers.get(digest.toString()), in.readAllBytes());
            }
        }
    }

    @Test
    void withoutARemoteTheCorruptedBlobIsDeletedAndReportedUnrepaired() throws Exception {
        String name = "repair/" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, byte[]> layers = pushImage(name);
        String remote = SyncTesting.remote(Map.of("url", registry.baseUrl(), "upstream_name", name));
        String repo = SyncTesting.repository();
        SyncTesting.completedSync(repo, remote, false);
        Digest corrupted = Digest.parse(layers.keySet().iterator().next());
        Path file = store.file(corrupted).orElseThrow();
        file.toFile().setWritable(true);
        Files.write(file, "not the layer".getBytes(StandardCharsets.UTF_8));

        JsonPath result = repair(repo + "versions/1/");
        assertEquals(List.of(corrupted.toString()), result.getList("result.corrupted"));
        assertTrue(result.getString("result.unrepaired.'" + corrupted + "'").contains("no remote"));
        assertFalse(store.exists(corrupted), "a corrupted blob is not kept to be served");

        asAdmin().contentType(ContentType.JSON).body(Map.of()).post(repo + "versions/9/repair/").then().statusCode(404);
        for (var stranger : List.of(given(), given().auth().preemptive().basic("admin", "wrong"),
                given().header("Authorization", "Bearer forged.token.value"))) {
            stranger.contentType(ContentType.JSON).body(Map.of()).post(repo + "versions/1/repair/").then().statusCode(401)
                    .body("detail", notNullValue());
        }
        // Repair never writes a version.
        asAdmin().get(repo).then().body("latest_version_href", equalTo(repo + "versions/1/"));
        asAdmin().queryParam("name", RepairTasks.REPAIR).queryParam("limit", 1000).get("/pulp/api/v3/tasks/").then()
                .body("results.findAll { it.created_resources.size() > 0 }.size()", equalTo(0));
    }
}
