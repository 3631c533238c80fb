package io.sigil.registry;

import static io.restassured.RestAssured.given;
import static io.sigil.registry.RegistryTestClient.admin;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sigil.storage.Digest;
import io.sigil.testing.PostgresDatabaseResource;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every registry error in the spec's shape, code and status. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class RegistryErrorsTest {

    private static final String ZERO = "sha256:" + "0".repeat(64);

    @Test
    void unknownBlobIsBlobUnknownEvenWhenAnotherRepositoryHoldsIt() {
        String name = RegistryTestClient.uniqueName("errors");
        String other = RegistryTestClient.uniqueName("errors");
        String digest = RegistryTestClient.pushBlob(other, RegistryTestClient.randomBytes(100));
        RegistryTestClient.pushBlob(name, RegistryTestClient.randomBytes(10));
        for (String missing : new String[] {ZERO, digest}) {
            admin(name).get("/v2/" + name + "/blobs/" + missing).then().statusCode(404)
                    .header("Docker-Distribution-API-Version", "registry/2.0")
                    .body("errors[0].code", equalTo("BLOB_UNKNOWN")).body("errors[0].detail.digest", equalTo(missing));
            admin(name).head("/v2/" + name + "/blobs/" + missing).then().statusCode(404);
        }
    }

    @Test
    void uploadsAreUnknownOutsideTheirRepositoryAndAfterCancel() {
        String name = RegistryTestClient.uniqueName("errors");
        String other = RegistryTestClient.uniqueName("errors");
        String uuid = admin(name).post("/v2/" + name + "/blobs/uploads/").then().statusCode(202).extract().header("Docker-Upload-UUID");
        admin(other).get("/v2/" + other + "/blobs/uploads/" + uuid).then().statusCode(404)
                .body("errors[0].code", equalTo("BLOB_UPLOAD_UNKNOWN"));
        admin(name).get("/v2/" + name + "/blobs/uploads/not-a-uuid").then().statusCode(404)
                .body("errors[0].code", equalTo("BLOB_UPLOAD_UNKNOWN"));
        admin(name).delete("/v2/" + name + "/blobs/uploads/" + uuid).then().statusCode(204);
        admin(name).contentType("application/octet-stream").body(new byte[] {1}).patch("/v2/" + name + "/blobs/uploads/" + uuid)
                .then().statusCode(404).body("errors[0].code", equalTo("BLOB_UPLOAD_UNKNOWN"));
    }

    @Test
    void wrongOrMalformedDigestsAreDigestInvalid() {
        String name = RegistryTestClient.uniqueName("errors");
        admin(name).contentType("application/octet-stream").body(new byte[] {1, 2, 3})
                .post("/v2/" + name + "/blobs/uploads/?digest=" + ZERO).then().statusCode(400)
                .body("errors[0].code", equalTo("DIGEST_INVALID"));
        admin(name).contentType("application/octet-stream").body(new byte[] {1, 2, 3})
                .post("/v2/" + name + "/blobs/uploads/?digest=md5:abc").then().statusCode(400)
                .body("errors[0].code", equalTo("DIGEST_INVALID"));
        String uuid = admin(name).post("/v2/" + name + "/blobs/uploads/").then().extract().header("Docker-Upload-UUID");
        admin(name).contentType("application/octet-stream").body(new byte[] {1})
                .put("/v2/" + name + "/blobs/uploads/" + uuid + "?digest=" + ZERO).then().statusCode(400)
                .body("errors[0].code", equalTo("DIGEST_INVALID"));
        admin(name).get("/v2/" + name + "/blobs/" + ZERO).then().statusCode(404); // nothing was stored

        RegistryTestClient.TestImage image = RegistryTestClient.image(name, 1);
        image.push(name, ZERO).then().statusCode(400).body("errors[0].code", equalTo("DIGEST_INVALID"));
        given().get("/v2/" + name + "/referrers/sha256:nothex").then().statusCode(400)
                .body("errors[0].code", equalTo("DIGEST_INVALID"));
    }

    @Test
    void chunkLongerThanItsContentRangeIsRefusedWith416AndTheUploadKept() {
        String name = RegistryTestClient.uniqueName("errors");
        String uuid = admin(name).post("/v2/" + name + "/blobs/uploads/").then().extract().header("Docker-Upload-UUID");
        admin(name).contentType("application/octet-stream").header("Content-Range", "0-9").body(new byte[20])
                .patch("/v2/" + name + "/blobs/uploads/" + uuid).then().statusCode(416)
                .body("errors[0].code", equalTo("BLOB_UPLOAD_INVALID"));
        admin(name).get("/v2/" + name + "/blobs/uploads/" + uuid).then().statusCode(204).header("Range", "0-0");
    }

    @Test
    void manifestNamingMissingContentListsEveryMissingDigest() {
        String name = RegistryTestClient.uniqueName("errors");
        String other = RegistryTestClient.uniqueName("errors");
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        String configDigest = RegistryTestClient.pushBlob(name, config);
        String elsewhere = RegistryTestClient.pushBlob(other, RegistryTestClient.randomBytes(50));
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + RegistryTestClient.OCI_MANIFEST + "\",\"config\":"
                + RegistryTestClient.descriptor("application/vnd.oci.image.config.v1+json", configDigest, 2) + ",\"layers\":["
                + RegistryTestClient.descriptor("application/vnd.oci.image.layer.v1.tar+gzip", ZERO, 5) + ","
                + RegistryTestClient.descriptor("application/vnd.oci.image.layer.v1.tar+gzip", elsewhere, 50) + "]}";
        RegistryTestClient.putManifest(name, "v1", manifest.getBytes(StandardCharsets.UTF_8), RegistryTestClient.OCI_MANIFEST)
                .then().statusCode(400).body("errors[0].code", equalTo("MANIFEST_BLOB_UNKNOWN"))
                .body("errors[0].detail.missing", containsInAnyOrder(ZERO, elsewhere));
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + RegistryTestClient.OCI_INDEX + "\",\"manifests\":["
                + RegistryTestClient.descriptor(RegistryTestClient.OCI_MANIFEST, ZERO, 10) + "]}";
        RegistryTestClient.putManifest(name, "list", index.getBytes(StandardCharsets.UTF_8), RegistryTestClient.OCI_INDEX)
                .then().statusCode(400).body("errors[0].detail.missing", contains(ZERO));
    }

    @Test
    void invalidAndOversizedManifestsAreRefused() {
        String name = RegistryTestClient.uniqueName("errors");
        RegistryTestClient.putManifest(name, "v1", "{not json".getBytes(StandardCharsets.UTF_8), RegistryTestClient.OCI_MANIFEST)
                .then().statusCode(400).body("errors[0].code", equalTo("MANIFEST_INVALID"));
        RegistryTestClient.putManifest(name, "v1", "{\"schemaVersion\":2,\"mediaType\":\"text/plain\"}".getBytes(StandardCharsets.UTF_8),
                "text/plain").then().statusCode(400).body("errors[0].code", equalTo("MANIFEST_INVALID"));
        byte[] huge = new byte[4 * 1024 * 1024 + 1];
        Arrays.fill(huge, (byte) ' ');
        RegistryTestClient.putManifest(name, "v1", huge, RegistryTestClient.OCI_MANIFEST).then().statusCode(413)
                .body("errors[0].code", equalTo("SIZE_INVALID"));
        RegistryTestClient.putManifest(name, "bad:tag!", "{}".getBytes(StandardCharsets.UTF_8), RegistryTestClient.OCI_MANIFEST)
                .then().statusCode(400);
    }

    @Test
    void unknownManifestsNamesAndInvalidNames() {
        String name = RegistryTestClient.uniqueName("errors");
        RegistryTestClient.image(name, 0).push(name, "v1").then().statusCode(201);
        given().get("/v2/" + name + "/manifests/nope").then().statusCode(404).body("errors[0].code", equalTo("MANIFEST_UNKNOWN"));
        given().get("/v2/" + name + "/manifests/" + ZERO).then().statusCode(404).body("errors[0].code", equalTo("MANIFEST_UNKNOWN"));
        admin("never/pushed").get("/v2/never/pushed/tags/list").then().statusCode(404).body("errors[0].code", equalTo("NAME_UNKNOWN"))
                .header("X-Registry-Supports-Signatures", "1");
        // Anonymous: the answer a private repository gets, so existence does not leak.
        given().get("/v2/never/pushed/tags/list").then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
        given().get("/v2/Upper/Case/tags/list").then().statusCode(400).body("errors[0].code", equalTo("NAME_INVALID"));
        given().get("/v2/" + name + "/no/such/operation").then().statusCode(404).body("errors[0].code", equalTo("NAME_UNKNOWN"));
    }

    @Test
    void pushesNeedAToken() {
        String name = RegistryTestClient.uniqueName("errors");
        given().post("/v2/" + name + "/blobs/uploads/").then().statusCode(401)
                .body("errors[0].code", equalTo("UNAUTHORIZED"))
                .header("WWW-Authenticate", containsString("scope=\"repository:" + name + ":pull,push\""))
                .header("X-Registry-Supports-Signatures", "1");
        given().header("Authorization", "Bearer not.a.token").get("/v2/" + name + "/tags/list").then().statusCode(401)
                .body("errors[0].code", equalTo("UNAUTHORIZED")).header("WWW-Authenticate", startsWith("Bearer "));
        given().auth().preemptive().basic("admin", "password").post("/v2/" + name + "/blobs/uploads/").then().statusCode(401);
        // A token for another repository does not open this one.
        admin("some/other").post("/v2/" + name + "/blobs/uploads/").then().statusCode(403)
                .body("errors[0].code", equalTo("DENIED"));
        String anonymous = given().queryParam("scope", "repository:" + name + ":pull,push").get("/token").path("token");
        given().header("Authorization", "Bearer " + anonymous).post("/v2/" + name + "/blobs/uploads/").then().statusCode(401);
    }

    @Test
    void badPageSizeIsRefused() {
        String name = RegistryTestClient.uniqueName("errors");
        RegistryTestClient.image(name, 0).push(name, "v1").then().statusCode(201);
        given().get("/v2/" + name + "/tags/list?n=-1").then().statusCode(400);
        given().get("/v2/_catalog?n=x").then().statusCode(400);
    }

    static String sha(byte[] bytes) {
        return Digest.sha256Of(bytes).toString();
    }
}
