package io.sigil.registry;

import static io.sigil.registry.RegistryTestClient.descriptor;
import static io.sigil.registry.RegistryTestClient.pushBlob;
import static io.sigil.registry.RegistryTestClient.putManifest;
import static io.sigil.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Tasks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * cosign's image attestation bundle (fixtures/cosign/oci-attestation.sigstore.json) pushed as an OCI referrer, the way
 * cosign 3 attaches it, becomes a signature unit of type sigstore-bundle. Attached to an image it does not name, it
 * is invalid once its trusted root and identity are trusted (upstream: "provided artifact digest does not match any
 * digest in statement"), and unknown_key before.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class SigstoreBundlePushTest {

    private static final String BUNDLE_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
    private static final String SIGNATURES = "/pulp/api/v3/content/container/signatures/";

    @Test
    void bundleReferrerIsStoredAndVerified() {
        String name = RegistryTestClient.uniqueName("bundle");
        RegistryTestClient.TestImage image = RegistryTestClient.image(name, 1);
        image.push(name, "v1").then().statusCode(201);
        byte[] bundle = read("/fixtures/cosign/oci-attestation.sigstore.json");
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        String emptyDigest = pushBlob(name, empty);
        String bundleDigest = pushBlob(name, bundle);
        String referrer = "{\"schemaVersion\":2,\"mediaType\":\"" + RegistryTestClient.OCI_MANIFEST + "\",\"artifactType\":\""
                + BUNDLE_TYPE + "\",\"config\":" + descriptor("application/vnd.oci.empty.v1+json", emptyDigest, 2)
                + ",\"layers\":[" + descriptor(BUNDLE_TYPE, bundleDigest, bundle.length) + "],\"subject\":"
                + descriptor(RegistryTestClient.OCI_MANIFEST, image.digest(), image.bytes().length)
                + ",\"annotations\":{\"dev.sigstore.bundle.content\":\"dsse-envelope\","
                + "\"dev.sigstore.bundle.predicateType\":\"https://cosign.sigstore.dev/attestation/v1\"}}";
        byte[] referrerBytes = referrer.getBytes(StandardCharsets.UTF_8);
        putManifest(name, RegistryTestClient.sha(referrerBytes), referrerBytes, RegistryTestClient.OCI_MANIFEST).then()
                .statusCode(201);

        assertEquals("unknown_key", verification(image.digest()).getString("state"));
        JsonPath key = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "cosign test " + UUID.randomUUID(),
                "type", "sigstore", "trusted_root", new String(read("/fixtures/cosign/trusted_root_pgi.json"), StandardCharsets.UTF_8),
                "oidc_issuer", "https://github.com/login/oauth", "subject", "cody@soyland.com"))
                .post("/pulp/api/v3/trusted-keys/").then().statusCode(201).extract().jsonPath();
        Tasks.await(key.getString("reverify_task"));
        JsonPath verdict = verification(image.digest());
        assertEquals("invalid", verdict.getString("state"));
        assertTrue(verdict.getString("reason").contains("does not name manifest " + image.digest()), verdict.getString("reason"));
    }

    @Test
    void sigstoreKeysNeedATrustedRootAndAnIdentityOrKey() {
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "no root " + UUID.randomUUID(), "type", "sigstore",
                "trusted_root", "{}", "oidc_issuer", "https://github.com/login/oauth", "subject", "a@b.c"))
                .post("/pulp/api/v3/trusted-keys/").then().statusCode(400).body("trusted_root", org.hamcrest.Matchers.notNullValue());
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "no identity " + UUID.randomUUID(), "type", "sigstore",
                "trusted_root", new String(read("/fixtures/cosign/trusted_root_pgi.json"), StandardCharsets.UTF_8)))
                .post("/pulp/api/v3/trusted-keys/").then().statusCode(400).body("oidc_issuer", org.hamcrest.Matchers.notNullValue());
    }

    private static JsonPath verification(String digest) {
        List<Map<String, Object>> units = asAdmin().queryParam("manifest", digest).get(SIGNATURES).then().statusCode(200)
                .extract().jsonPath().getList("results");
        assertEquals(1, units.size(), units::toString);
        assertEquals("sigstore-bundle", units.get(0).get("type"));
        return new JsonPath(asAdmin().get((String) units.get(0).get("pulp_href")).then().statusCode(200).extract().asString())
                .setRootPath("verification");
    }

    private static byte[] read(String path) {
        try (InputStream in = SigstoreBundlePushTest.class.getResourceAsStream(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
