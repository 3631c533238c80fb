package io.sigil.registry;

import static io.sigil.registry.RegistryTestClient.admin;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.sigil.storage.BlobStore;
import io.sigil.storage.Digest;
import io.sigil.storage.S3BlobStore;
import io.sigil.testing.OciLayout;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.S3ProxyServer;
import io.sigil.testing.Skopeo;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry with {@code sigil.storage.type=s3}, against s3proxy: chunked pushes, skopeo round trips, ranges. */
@QuarkusTest
@TestProfile(S3StorageRegistryTest.S3Storage.class)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class S3StorageRegistryTest {

    public static class S3Storage implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(S3ProxyServer.class));
        }
    }

    @Inject
    BlobStore store;

    @Test
    void skopeoRoundTripsAnImageWhoseLayerSpansSeveralParts(@TempDir Path tmp) throws Exception {
        assertInstanceOf(S3BlobStore.class, ClientProxy.unwrap(store));
        OciLayout source = new OciLayout(tmp.resolve("src"), 3);
        OciLayout.Blob big = source.layer(6 * 1024 * 1024);
        OciLayout.Blob image = source.image("amd64", big, source.layer(2000));
        source.tag("v1", image);
        String repository = "docker://127.0.0.1:" + RestAssured.port + "/s3/" + UUID.randomUUID().toString().substring(0, 8);
        Skopeo skopeo = new Skopeo();

        skopeo.copy("oci:" + source.dir() + ":v1", repository + ":v1", "--dest-creds", "admin:password").requireSuccess();
        skopeo.copy(repository + ":v1", "oci:" + tmp.resolve("out") + ":v1").requireSuccess();

        Digest layer = Digest.parse(big.digest());
        assertEquals(big.size(), store.size(layer).orElseThrow(), "the layer is in the bucket");
        assertTrue(store.file(layer).isEmpty(), "and not in a local file");
        Path pulled = tmp.resolve("out/blobs/sha256").resolve(layer.hex());
        assertArrayEquals(big.bytes(), Files.readAllBytes(pulled));
    }

    @Test
    void aChunkedUploadCommitsAndIsServedByRange() {
        String name = RegistryTestClient.uniqueName("s3chunks");
        byte[] bytes = RegistryTestClient.randomBytes(7 * 1024 * 1024);
        int cut = 3 * 1024 * 1024;
        String location = admin(name).post("/v2/" + name + "/blobs/uploads/").then().statusCode(202).extract().header("Location");
        location = admin(name).contentType("application/octet-stream").header("Content-Range", "0-" + (cut - 1))
                .body(Arrays.copyOfRange(bytes, 0, cut)).patch(location).then().statusCode(202).extract().header("Location");
        location = admin(name).contentType("application/octet-stream").header("Content-Range", cut + "-" + (bytes.length - 1))
                .body(Arrays.copyOfRange(bytes, cut, bytes.length)).patch(location).then().statusCode(202).extract().header("Location");
        String digest = RegistryTestClient.sha(bytes);
        admin(name).put(location + (location.contains("?") ? "&" : "?") + "digest=" + digest).then().statusCode(201);

        Response part = admin(name).header("Range", "bytes=5000000-5000099").get("/v2/" + name + "/blobs/" + digest);
        part.then().statusCode(206).header("Content-Range", "bytes 5000000-5000099/" + bytes.length);
        assertArrayEquals(Arrays.copyOfRange(bytes, 5_000_000, 5_000_100), part.asByteArray());
        Response whole = admin(name).get("/v2/" + name + "/blobs/" + digest);
        whole.then().statusCode(200).header("Content-Length", String.valueOf(bytes.length));
        assertArrayEquals(bytes, whole.asByteArray());
    }
}
