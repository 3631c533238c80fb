package io.sigil.registry;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.sigil.storage.Digest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/** Pushes blobs and manifests over the /v2 API with REST Assured, as the admin. */
final class RegistryTestClient {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    private RegistryTestClient() {
    }

    /** Requests with the admin's bearer token for pull and push on {@code name}, from the token endpoint. */
    static RequestSpecification admin(String name) {
        return given().header("Authorization", "Bearer " + token("admin", "password", "repository:" + name + ":pull,push"));
    }

    static String token(String user, String password, String scope) {
        return given().auth().preemptive().basic(user, password).queryParam("scope", scope).get("/token")
                .then().statusCode(200).extract().path("token");
    }

    static String uniqueName(String prefix) {
        return prefix + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    /** Uploads a blob with POST ?digest= (single request); returns its digest. */
    static String pushBlob(String name, byte[] bytes) {
        String digest = Digest.sha256Of(bytes).toString();
        admin(name).contentType("application/octet-stream").body(bytes)
                .post("/v2/" + name + "/blobs/uploads/?digest=" + digest).then().statusCode(201);
        return digest;
    }

    /** A config blob and {@code layers} random layers pushed, and the OCI manifest naming them (not pushed). */
    static TestImage image(String name, int layers) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":\"" + UUID.randomUUID() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        String configDigest = pushBlob(name, config);
        String[] layerDescriptors = new String[layers];
        for (int i = 0; i < layers; i++) {
            byte[] layer = randomBytes(1000 + i);
            layerDescriptors[i] = descriptor("application/vnd.oci.image.layer.v1.tar+gzip", pushBlob(name, layer), layer.length);
        }
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", configDigest, config.length)
                + ",\"layers\":[" + String.join(",", layerDescriptors) + "]}";
        return new TestImage(manifest.getBytes(StandardCharsets.UTF_8));
    }

    static String sha(byte[] bytes) {
        return Digest.sha256Of(bytes).toString();
    }

    static String descriptor(String mediaType, String digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    static Response putManifest(String name, String reference, byte[] manifest, String mediaType) {
        return admin(name).contentType(mediaType).body(manifest).put("/v2/" + name + "/manifests/" + reference);
    }

    static String index(TestImage... children) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + Arrays.stream(children).map(c -> descriptor(OCI_MANIFEST, c.digest(), c.bytes().length)
                        .replaceFirst("}$", ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}"))
                .collect(Collectors.joining(",")) + "]}";
    }

    record TestImage(byte[] bytes) {
        String digest() {
            return Digest.sha256Of(bytes).toString();
        }

        Response push(String name, String reference) {
            return putManifest(name, reference, bytes, OCI_MANIFEST);
        }
    }
}
