package io.sigil.rbac;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.sigil.storage.Digest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A one-layer OCI image pushed over /v2/ with a bearer token, for the registry permission tests. */
final class RegistryPush {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    private RegistryPush() {
    }

    /** Pushes config, layer and manifest under {@code tag}; returns the manifest PUT's response (201 when allowed). */
    static Response push(String token, String name, String tag) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        Response blob = blob(token, name, config);
        if (blob.statusCode() != 201) {
            return blob;
        }
        blob(token, name, layer).then().statusCode(201);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Digest.sha256Of(config) + "\",\"size\":"
                + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
                + Digest.sha256Of(layer) + "\",\"size\":" + layer.length + "}]}";
        return bearer(token).contentType(OCI_MANIFEST).body(manifest.getBytes(StandardCharsets.UTF_8))
                .put("/v2/" + name + "/manifests/" + tag);
    }

    static Response blob(String token, String name, byte[] bytes) {
        return bearer(token).contentType("application/octet-stream").body(bytes)
                .post("/v2/" + name + "/blobs/uploads/?digest=" + Digest.sha256Of(bytes));
    }

    static io.restassured.specification.RequestSpecification bearer(String token) {
        return token == null ? given() : given().header("Authorization", "Bearer " + token);
    }
}
