package io.sigil.registry;

import static io.sigil.registry.RegistryTestClient.admin;
import static io.sigil.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Tasks;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Clean-up never takes what a push still needs: blobs pushed before their manifest, and an upload under way. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class CleanupRacingPushTest {

    private static JsonPath cleanupWithoutProtection() {
        return Tasks.completed(asAdmin().contentType(ContentType.JSON).body(Map.of("orphan_protection_time", 0))
                .post("/pulp/api/v3/orphans/cleanup/"));
    }

    @Test
    void blobsPushedBeforeTheirManifestSurviveACleanUpWithoutProtection() {
        String name = RegistryTestClient.uniqueName("racing");
        RegistryTestClient.TestImage image = RegistryTestClient.image(name, 1); // config and layer: pending links only
        String layer = JsonPath.from(new String(image.bytes(), StandardCharsets.UTF_8)).getString("layers[0].digest");

        JsonPath cleanup = cleanupWithoutProtection();

        assertEquals(0, cleanup.getInt("result.pending_blob_links_deleted"));
        image.push(name, "v1").then().statusCode(201);
        admin(name).get("/v2/" + name + "/blobs/" + layer).then().statusCode(200);
    }

    @Test
    void aChunkedUploadUnderWaySurvivesACleanUpAndCompletes() {
        String name = RegistryTestClient.uniqueName("racing");
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\"}").getBytes(StandardCharsets.UTF_8);
        String configDigest = RegistryTestClient.pushBlob(name, config);
        byte[] layer = RegistryTestClient.randomBytes(2000);
        String session = admin(name).post("/v2/" + name + "/blobs/uploads/").then().statusCode(202)
                .extract().header("Docker-Upload-UUID");
        admin(name).contentType("application/octet-stream").body(Arrays.copyOf(layer, 1000))
                .patch("/v2/" + name + "/blobs/uploads/" + session).then().statusCode(202);

        cleanupWithoutProtection();

        String layerDigest = RegistryTestClient.sha(layer);
        admin(name).contentType("application/octet-stream").body(Arrays.copyOfRange(layer, 1000, layer.length))
                .put("/v2/" + name + "/blobs/uploads/" + session + "?digest=" + layerDigest).then().statusCode(201);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + RegistryTestClient.descriptor("application/vnd.oci.image.config.v1+json", configDigest, config.length)
                + ",\"layers\":[" + RegistryTestClient.descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layerDigest,
                layer.length) + "]}";
        RegistryTestClient.putManifest(name, "v1", manifest.getBytes(StandardCharsets.UTF_8),
                "application/vnd.oci.image.manifest.v1+json").then().statusCode(201);
    }
}
