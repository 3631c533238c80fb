package io.sigil.registry;

import static io.restassured.RestAssured.given;
import static io.sigil.registry.RegistryTestClient.admin;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sigil.storage.Digest;
import io.sigil.testing.PostgresDatabaseResource;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class RegistryPullPushTest {

    @Test
    void pingAnswersWithRegistryHeadersAndChallengesAnonymousCallers() {
        given().get("/v2/").then().statusCode(401)
                .header("Docker-Distribution-API-Version", "registry/2.0")
                .header("X-Registry-Supports-Signatures", "1")
                .header("WWW-Authenticate", startsWith("Bearer realm=\"http://127.0.0.1:"))
                .header("WWW-Authenticate", containsString("/token\",service=\"127.0.0.1:"))
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
        admin("any/name").get("/v2/").then().statusCode(200)
                .header("Docker-Distribution-API-Version", "registry/2.0")
                .header("X-Registry-Supports-Signatures", "1");
    }

    @Test
    void pushedImageIsServedByTagAndDigestExactlyAsPushed() {
        String name = RegistryTestClient.uniqueName("library");
        RegistryTestClient.TestImage image = RegistryTestClient.image(name, 2);
        image.push(name, "v1").then().statusCode(201)
                .header("Docker-Content-Digest", image.digest())
                .header("Location", "/v2/" + name + "/manifests/" + image.digest())
                .header("OCI-Subject", nullValue());

        for (String reference : new String[] {"v1", image.digest()}) {
            Response get = given().get("/v2/" + name + "/manifests/" + reference);
            get.then().statusCode(200).contentType(RegistryTestClient.OCI_MANIFEST)
                    .header("Docker-Content-Digest", image.digest())
                    .header("Content-Length", String.valueOf(image.bytes().length))
                    .header("X-Registry-Supports-Signatures", "1");
            assertArrayEquals(image.bytes(), get.asByteArray());
            given().head("/v2/" + name + "/manifests/" + reference).then().statusCode(200)
                    .contentType(RegistryTestClient.OCI_MANIFEST)
                    .header("Docker-Content-Digest", image.digest())
                    .header("Content-Length", String.valueOf(image.bytes().length));
        }
        given().get("/v2/" + name + "/tags/list").then().statusCode(200)
                .body("name", equalTo(name)).body("tags", contains("v1"));
    }

    @Test
    void blobsAreServedWholeAndByRange() {
        String name = RegistryTestClient.uniqueName("blobs");
        byte[] bytes = RegistryTestClient.randomBytes(5000);
        String digest = RegistryTestClient.pushBlob(name, bytes);

        Response whole = admin(name).get("/v2/" + name + "/blobs/" + digest);
        whole.then().statusCode(200).header("Docker-Content-Digest", digest)
                .header("Content-Length", "5000").contentType("application/octet-stream");
        assertArrayEquals(bytes, whole.asByteArray());
        admin(name).head("/v2/" + name + "/blobs/" + digest).then().statusCode(200)
                .header("Content-Length", "5000").header("Docker-Content-Digest", digest);

        Response part = admin(name).header("Range", "bytes=100-199").get("/v2/" + name + "/blobs/" + digest);
        part.then().statusCode(206).header("Content-Range", "bytes 100-199/5000").header("Content-Length", "100");
        assertArrayEquals(Arrays.copyOfRange(bytes, 100, 200), part.asByteArray());
        admin(name).header("Range", "bytes=6000-").get("/v2/" + name + "/blobs/" + digest).then().statusCode(416)
                .header("Content-Range", "bytes */5000");
    }

    @Test
    void chunkedUploadReportsProgressAndCommitsOnTheRightDigest() {
        String name = RegistryTestClient.uniqueName("chunked");
        byte[] bytes = RegistryTestClient.randomBytes(3000);
        String digest = Digest.sha256Of(bytes).toString();
        Response start = admin(name).post("/v2/" + name + "/blobs/uploads/");
        start.then().statusCode(202).header("Range", "0-0");
        String location = start.header("Location");
        String uuid = start.header("Docker-Upload-UUID");
        assertEquals("/v2/" + name + "/blobs/uploads/" + uuid, location);

        admin(name).contentType("application/octet-stream").header("Content-Range", "0-999")
                .body(Arrays.copyOfRange(bytes, 0, 1000)).patch(location)
                .then().statusCode(202).header("Range", "0-999").header("Location", location);
        admin(name).get(location).then().statusCode(204).header("Range", "0-999").header("Docker-Upload-UUID", uuid);
        // Out of order: the upload has 1000 bytes, not 2000.
        admin(name).contentType("application/octet-stream").header("Content-Range", "2000-2999")
                .body(Arrays.copyOfRange(bytes, 2000, 3000)).patch(location)
                .then().statusCode(416).header("Range", "0-999");
        admin(name).contentType("application/octet-stream").header("Content-Range", "1000-1999")
                .body(Arrays.copyOfRange(bytes, 1000, 2000)).patch(location).then().statusCode(202).header("Range", "0-1999");
        admin(name).contentType("application/octet-stream").body(Arrays.copyOfRange(bytes, 2000, 3000))
                .put(location + "?digest=" + digest).then().statusCode(201)
                .header("Location", "/v2/" + name + "/blobs/" + digest).header("Docker-Content-Digest", digest);

        assertArrayEquals(bytes, admin(name).get("/v2/" + name + "/blobs/" + digest).asByteArray());
        admin(name).get(location).then().statusCode(404).body("errors[0].code", equalTo("BLOB_UPLOAD_UNKNOWN"));
    }
}
