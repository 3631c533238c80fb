package io.sigil.lifecycle;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.sigil.content.Signature;
import io.sigil.signature.AtomicSignatures;
import io.sigil.signature.CosignSignatures;
import io.sigil.signature.OpenPgpSigner;
import io.sigil.storage.Digest;
import io.sigil.testing.PostgresDatabaseResource;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.junit.jupiter.api.Test;

/** Pushes consult the revocation list: the signature extension refuses, a cosign .sig push skips the revoked layer. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class RevokedKeysOnPushTest {

    /** Revocations are server-wide: lift them so other test classes can keep using the fixture keys. */
    @org.junit.jupiter.api.AfterEach
    void liftRevocations() {
        io.sigil.testing.Revocations.liftAll();
    }


    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    static RequestSpecification push(String name) {
        String token = given().auth().preemptive().basic("admin", "password")
                .queryParam("scope", "repository:" + name + ":pull,push").get("/token").then().statusCode(200).extract().path("token");
        return given().header("Authorization", "Bearer " + token);
    }

    private static String blob(String name, byte[] bytes) {
        String digest = Digest.sha256Of(bytes).toString();
        push(name).contentType("application/octet-stream").body(bytes).post("/v2/" + name + "/blobs/uploads/?digest=" + digest)
                .then().statusCode(201);
        return digest;
    }

    private static String descriptor(String mediaType, String digest, long size, String signature) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size
                + (signature == null ? "" : ",\"annotations\":{\"" + CosignSignatures.SIGNATURE_ANNOTATION + "\":\"" + signature + "\"}")
                + "}";
    }

    static String manifest(String name, List<String> layers) {
        byte[] config = ("{\"n\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
        return "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", blob(name, config), config.length, null)
                + ",\"layers\":[" + String.join(",", layers) + "]}";
    }

    static String pushImage(String name) {
        byte[] layer = ("layer " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        byte[] image = manifest(name, List.of(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", blob(name, layer),
                layer.length, null))).getBytes(StandardCharsets.UTF_8);
        push(name).contentType(OCI_MANIFEST).body(image).put("/v2/" + name + "/manifests/v1").then().statusCode(201);
        return Digest.sha256Of(image).toString();
    }

    @Test
    void theSignatureExtensionRefusesARevokedKeyWithItsReason() {
        PGPSecretKeyRing ring = OpenPgpSigner.generateKeyRing("Pushed <p@example.com>", null);
        InvalidationTest.invalidated(InvalidationTest.body("key", InvalidationTest.fingerprint(ring), "reason", "key escrow breach",
                "manifests", List.of("sha256:" + "0".repeat(64))));
        String name = "revoked/" + UUID.randomUUID().toString().substring(0, 8);
        String digest = pushImage(name);
        byte[] signature = new OpenPgpSigner(ring.getSecretKey(), null)
                .sign(AtomicSignatures.payload("localhost/" + name + ":v1", digest, null, null));
        String body = "{\"schemaVersion\":2,\"type\":\"atomic\",\"name\":\"" + digest + "@" + "a".repeat(32)
                + "\",\"content\":\"" + Base64.getEncoder().encodeToString(signature) + "\"}";
        push(name).contentType("application/json").body(body).put("/extensions/v2/" + name + "/signatures/" + digest)
                .then().statusCode(400).body("errors[0].code", equalTo("SIGNATURE_INVALID"))
                .body("errors[0].message", containsString("key escrow breach"));
    }

    @Test
    void aCosignSigPushStoresOnlyTheLayersOfKeysNotRevoked() {
        KeyPair revoked = LifecycleFixtures.ecKey(), good = LifecycleFixtures.ecKey();
        InvalidationTest.invalidated(InvalidationTest.body("key", LifecycleFixtures.pem(revoked), "reason", "lost",
                "manifests", List.of("sha256:" + "0".repeat(64))));
        String name = "revoked/" + UUID.randomUUID().toString().substring(0, 8);
        String digest = pushImage(name);
        List<String> layers = List.of(layer(name, digest, revoked), layer(name, digest, good));
        byte[] sig = manifest(name, layers).getBytes(StandardCharsets.UTF_8);
        push(name).contentType(OCI_MANIFEST).body(sig).put("/v2/" + name + "/manifests/sha256-" + digest.substring(7) + ".sig")
                .then().statusCode(201);

        List<Signature> stored = QuarkusTransaction.requiringNew().call(() ->
                Signature.<Signature>list("signedDigest = ?1 and type = 'cosign'", digest));
        assertEquals(1, stored.size());
        assertEquals(false, CosignSignatures.signedBy(CosignSignatures.fromStorageForm(stored.get(0).data), revoked.getPublic()));
        assertEquals(true, CosignSignatures.signedBy(CosignSignatures.fromStorageForm(stored.get(0).data), good.getPublic()));
    }

    static String layer(String name, String subject, KeyPair key) {
        byte[] payload = ("{\"critical\":{\"identity\":{\"docker-reference\":\"example.com/" + name + "\"},\"image\":{"
                + "\"docker-manifest-digest\":\"" + subject + "\"},\"type\":\"cosign container image signature\"},"
                + "\"optional\":{\"n\":\"" + UUID.randomUUID() + "\"}}").getBytes(StandardCharsets.UTF_8);
        String signature = Base64.getEncoder().encodeToString(LifecycleFixtures.sign(key, payload));
        return descriptor(CosignSignatures.SIMPLE_SIGNING_MEDIA_TYPE, blob(name, payload), payload.length, signature);
    }
}
