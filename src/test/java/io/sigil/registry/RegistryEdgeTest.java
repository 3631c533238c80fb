package io.sigil.registry;

import static io.restassured.RestAssured.given;
import static io.sigil.registry.RegistryTestClient.admin;
import static io.sigil.testing.Api.asAdmin;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sigil.testing.PostgresDatabaseResource;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Bad input on /v2 gets a clear 4xx in the OCI shape (never a 500), a manifest must describe its content truthfully,
 * and a blob upload creates nothing until a manifest follows.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class RegistryEdgeTest {

    private static final String DISTRIBUTIONS = "/pulp/api/v3/distributions/container/container/";
    private static final String REPOSITORIES = "/pulp/api/v3/repositories/container/container/";
    private static final String ZERO = "sha256:" + "0".repeat(64);

    @Test
    void hugePageSizesAreBoundedNotAServerError() {
        String name = RegistryTestClient.uniqueName("edge");
        RegistryTestClient.TestImage image = RegistryTestClient.image(name, 0);
        for (String tag : new String[] {"a", "b", "c"}) {
            image.push(name, tag).then().statusCode(201);
        }
        given().get("/v2/" + name + "/tags/list?n=2147483647").then().statusCode(200).body("tags", contains("a", "b", "c"))
                .header("Link", nullValue());
        given().get("/v2/_catalog?n=2147483647").then().statusCode(400)
                .body("errors[0].code", equalTo("PAGINATION_NUMBER_INVALID"));
        given().get("/v2/_catalog?n=1000").then().statusCode(200);
        for (String bad : new String[] {"-1", "99999999999999999999", "abc", "1.5"}) {
            given().urlEncodingEnabled(false).get("/v2/" + name + "/tags/list?n=" + bad).then().statusCode(400)
                    .body("errors[0].code", equalTo("PAGINATION_NUMBER_INVALID"));
            given().urlEncodingEnabled(false).get("/v2/_catalog?n=" + bad).then().statusCode(400)
                    .body("errors[0].code", equalTo("PAGINATION_NUMBER_INVALID"));
        }
    }

    @Test
    void nulBytesAreRefusedWithA4xxEverywhere() {
        String name = RegistryTestClient.uniqueName("edge");
        RegistryTestClient.TestImage image = RegistryTestClient.image(name, 1);
        image.push(name, "v1").then().statusCode(201);
        String uuid = admin(name).post("/v2/" + name + "/blobs/uploads/").then().statusCode(202).extract().header("Docker-Upload-UUID");

        assertClientError(given().urlEncodingEnabled(false).get("/v2/_catalog?last=a%00b"), "NAME_INVALID");
        assertClientError(given().urlEncodingEnabled(false).get("/v2/" + name + "/tags/list?last=a%00b"), "TAG_INVALID");
        assertClientError(given().urlEncodingEnabled(false).get("/v2/" + name + "/manifests/v%001"), "MANIFEST_UNKNOWN");
        assertClientError(given().urlEncodingEnabled(false).head("/v2/" + name + "/manifests/v%001"), null);
        assertClientError(given().urlEncodingEnabled(false).get("/v2/" + name + "/blobs/sha256:%00"), "DIGEST_INVALID");
        assertClientError(given().urlEncodingEnabled(false).get("/v2/" + name + "%00x/tags/list"), "NAME_INVALID");
        assertClientError(given().urlEncodingEnabled(false).get("/v2/" + name + "/referrers/sha256:%00"), "DIGEST_INVALID");
        given().urlEncodingEnabled(false).get("/v2/" + name + "/referrers/" + image.digest() + "?artifactType=a%00b")
                .then().statusCode(200).body("manifests", hasSize(0));
        assertClientError(admin(name).urlEncodingEnabled(false).get("/v2/" + name + "/blobs/uploads/" + uuid + "%00"),
                "BLOB_UPLOAD_UNKNOWN");
        assertClientError(admin(name).urlEncodingEnabled(false).contentType("application/octet-stream").body(new byte[] {1})
                .put("/v2/" + name + "/blobs/uploads/" + uuid + "?digest=sha256:%00"), "DIGEST_INVALID");
        assertClientError(admin(name).urlEncodingEnabled(false).post("/v2/" + name + "/blobs/uploads/?mount=sha256:%00&from=" + name),
                "DIGEST_INVALID");
        // An unusable source is no mount: the client gets an upload session, as the spec wants.
        admin(name).urlEncodingEnabled(false).post("/v2/" + name + "/blobs/uploads/?mount=" + ZERO + "&from=a%00b")
                .then().statusCode(202);
        assertClientError(admin(name).urlEncodingEnabled(false).contentType(RegistryTestClient.OCI_MANIFEST)
                .body(image.bytes()).put("/v2/" + name + "/manifests/v%002"), "TAG_INVALID");
        assertClientError(admin(name).urlEncodingEnabled(false).delete("/v2/" + name + "/manifests/v%001"), "MANIFEST_UNKNOWN");
        given().get("/v2/" + name + "/manifests/v1").then().statusCode(200); // nothing changed
    }

    @Test
    void aDescriptorSizeThatIsNotTheContentsIsRefusedAndNothingChanges() {
        String name = RegistryTestClient.uniqueName("edge");
        RegistryTestClient.image(name, 0).push(name, "first").then().statusCode(201);
        byte[] config = RegistryTestClient.randomBytes(80);
        String configDigest = RegistryTestClient.pushBlob(name, config);
        byte[] layer = RegistryTestClient.randomBytes(120);
        String layerDigest = RegistryTestClient.pushBlob(name, layer);
        String lying = manifest(RegistryTestClient.descriptor("application/vnd.oci.image.config.v1+json", configDigest, 99999),
                RegistryTestClient.descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layerDigest, 120));
        int version = latestVersion(name);

        RegistryTestClient.putManifest(name, "v1", lying.getBytes(StandardCharsets.UTF_8), RegistryTestClient.OCI_MANIFEST)
                .then().statusCode(400).body("errors[0].code", equalTo("MANIFEST_INVALID"))
                .body("errors[0].message", containsString(configDigest + " is 80 bytes, not 99999"))
                .body("errors[0].detail.sizes[0].digest", equalTo(configDigest))
                .body("errors[0].detail.sizes[0].stored_size", equalTo(80));
        String shortLayer = manifest(RegistryTestClient.descriptor("application/vnd.oci.image.config.v1+json", configDigest, 80),
                RegistryTestClient.descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layerDigest, 12));
        RegistryTestClient.putManifest(name, "v1", shortLayer.getBytes(StandardCharsets.UTF_8), RegistryTestClient.OCI_MANIFEST)
                .then().statusCode(400).body("errors[0].code", equalTo("MANIFEST_INVALID"));
        RegistryTestClient.TestImage child = RegistryTestClient.image(name, 0);
        child.push(name, child.digest()).then().statusCode(201);
        version = latestVersion(name);
        String index = RegistryTestClient.index(child).replace("\"size\":" + child.bytes().length, "\"size\":1");
        RegistryTestClient.putManifest(name, "list", index.getBytes(StandardCharsets.UTF_8), RegistryTestClient.OCI_INDEX)
                .then().statusCode(400).body("errors[0].code", equalTo("MANIFEST_INVALID"));

        assertEquals(version, latestVersion(name), "no version was written");
        given().get("/v2/" + name + "/manifests/v1").then().statusCode(404);
        given().get("/v2/" + name + "/manifests/list").then().statusCode(404);
        // The truthful manifest goes in.
        String honest = manifest(RegistryTestClient.descriptor("application/vnd.oci.image.config.v1+json", configDigest, 80),
                RegistryTestClient.descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layerDigest, 120));
        RegistryTestClient.putManifest(name, "v1", honest.getBytes(StandardCharsets.UTF_8), RegistryTestClient.OCI_MANIFEST)
                .then().statusCode(201);
    }

    @Test
    void blobUploadsCreateNothingUntilTheFirstManifest() {
        String name = RegistryTestClient.uniqueName("edge");
        byte[] bytes = RegistryTestClient.randomBytes(500);
        String digest = RegistryTestClient.pushBlob(name, bytes);
        Response started = admin(name).post("/v2/" + name + "/blobs/uploads/");
        started.then().statusCode(202);
        String location = started.header("Location");
        admin(name).contentType("application/octet-stream").header("Content-Range", "0-9").body(new byte[10]).patch(location)
                .then().statusCode(202);

        asAdmin().queryParam("base_path", name).get(DISTRIBUTIONS).then().statusCode(200).body("count", equalTo(0));
        asAdmin().queryParam("name", name).get(REPOSITORIES).then().statusCode(200).body("count", equalTo(0));
        given().get("/v2/" + name + "/blobs/" + digest).then().statusCode(401); // anonymous: as for a private name
        given().get("/v2/_catalog").then().statusCode(200).body("repositories", not(org.hamcrest.Matchers.hasItem(name)));
        // The pusher sees what it pushed, as clients check a blob right after uploading it.
        assertArrayEquals(bytes, admin(name).get("/v2/" + name + "/blobs/" + digest).asByteArray());
        admin(name).head("/v2/" + name + "/blobs/" + digest).then().statusCode(200).header("Content-Length", "500");

        // The first manifest creates the repository and its distribution; the upload begun before carries on.
        RegistryTestClient.TestImage image = RegistryTestClient.image(name, 0);
        image.push(name, "v1").then().statusCode(201);
        asAdmin().queryParam("base_path", name).get(DISTRIBUTIONS).then().statusCode(200).body("count", equalTo(1));
        admin(name).get(location).then().statusCode(204).header("Range", "0-9");
        byte[] whole = new byte[10];
        admin(name).contentType("application/octet-stream").body(new byte[0])
                .put(location + "?digest=" + RegistryTestClient.sha(whole)).then().statusCode(201);
        // The blob pushed before the repository existed is pending in it now, readable by anyone it is public to.
        assertArrayEquals(bytes, given().get("/v2/" + name + "/blobs/" + digest).asByteArray());
        given().head("/v2/" + name + "/blobs/" + RegistryTestClient.sha(whole)).then().statusCode(200);
    }

    @Test
    void unpublishedPathsKeepTheirBlobsFromOtherCallers() {
        String name = RegistryTestClient.uniqueName("edge");
        String digest = RegistryTestClient.pushBlob(name, RegistryTestClient.randomBytes(50));
        admin("some/other").get("/v2/" + name + "/blobs/" + digest).then().statusCode(404);
        given().header("Authorization", "Bearer forged.token.here").get("/v2/" + name + "/blobs/" + digest).then().statusCode(401);
        String other = RegistryTestClient.uniqueName("edge");
        // A mount from it by a caller who may not pull there is no mount.
        admin(other).post("/v2/" + other + "/blobs/uploads/?mount=" + digest + "&from=" + name).then().statusCode(202);
    }

    @Test
    void serviceErrorsKeepTheirStatus() {
        RegistryException bad = RegistryExceptionMapper.translate(io.sigil.common.ApiException.field("name", "bad"));
        assertEquals(400, bad.status());
        assertEquals("UNSUPPORTED", bad.error().code());
        RegistryException conflict = RegistryExceptionMapper.translate(io.sigil.common.ApiException.conflict("needed"));
        assertEquals(409, conflict.status());
        assertEquals("DENIED", conflict.error().code());
        assertEquals(404, RegistryExceptionMapper.translate(io.sigil.common.ApiException.notFound("x")).status());
        RegistryException full = RegistryExceptionMapper.translate(new jakarta.ws.rs.WebApplicationException(507));
        assertEquals(507, full.status());
        assertEquals("UNKNOWN", full.error().code());
    }

    private static void assertClientError(Response response, String code) {
        response.then().statusCode(org.hamcrest.Matchers.allOf(org.hamcrest.Matchers.greaterThanOrEqualTo(400), lessThan(500)));
        if (code != null) {
            response.then().body("errors[0].code", equalTo(code));
        }
    }

    private static String manifest(String config, String layer) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + RegistryTestClient.OCI_MANIFEST + "\",\"config\":" + config
                + ",\"layers\":[" + layer + "]}";
    }

    private static int latestVersion(String name) {
        String href = asAdmin().queryParam("name", name).get(REPOSITORIES).then().statusCode(200).extract()
                .path("results[0].latest_version_href");
        return Integer.parseInt(href.replaceAll(".*/versions/(\\d+)/$", "$1"));
    }
}
